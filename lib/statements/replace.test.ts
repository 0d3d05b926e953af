import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { HttpSession } from "@/test/harness/http";
import { acmeCallers, freshApplication, orgPost } from "@/test/harness/org-api";
import { openServerSql } from "@/test/harness/server-sql";

/**
 * Revoke-and-replace over HTTP (`POST /orgs/{org}/statements/{id}/replace`): the old statement's clients are cut
 * off and the new statement registers, in one audited step; what may not replace, or what is not there, changes
 * nothing.
 */

const baseUrl = inject("baseUrl");
const serverDb = await openServerSql();
afterAll(() => serverDb.close());

let admin: HttpSession, viewer: HttpSession, otherAdmin: HttpSession;

type Statement = { id: string; status: string; software_statement: string; applicationId: string };

const client = (path: string, headers: Record<string, string>, body: string) =>
  fetch(baseUrl + path, {
    method: "POST",
    headers: { "x-forwarded-for": `198.18.0.${1 + Math.floor(Math.random() * 250)}`, ...headers },
    body,
  });
const register = async (jwt: string) => {
  const res = await client(
    "/o/client/register",
    { "content-type": "application/json" },
    JSON.stringify({ software_statement: jwt }),
  );
  return { status: res.status, body: (await res.json()) as { client_id: string; client_secret: string } };
};
const token = async (id: string, secret: string) =>
  (
    await client(
      "/o/client/token",
      { "content-type": "application/x-www-form-urlencoded" },
      new URLSearchParams({
        grant_type: "client_credentials",
        client_id: id,
        client_secret: secret,
      }).toString(),
    )
  ).status;

let applicationId: string;
const statementCount = async () =>
  (await serverDb.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM "SoftwareStatement" WHERE "applicationId" = ?`,
    applicationId,
  ))!.n;

const post = orgPost;

beforeAll(async () => {
  ({ admin, viewer, otherAdmin } = await acmeCallers());
  applicationId = await freshApplication(admin, "Replace test");
});

const issue = async () =>
  (await post<Statement>(admin, `/applications/${applicationId}/statements`, {})).body;

describe("revoke-and-replace", () => {
  it("revokes the leaked statement and issues its replacement in one step: old clients refused, new ones register", async () => {
    const leaked = await issue();
    const device = await register(leaked.software_statement);
    expect(device.status).toBe(201);
    expect(await token(device.body.client_id, device.body.client_secret)).toBe(201);

    const replaced = await post<{ revoked: Statement; replacement: Statement }>(
      admin,
      `/statements/${leaked.id}/replace`,
      { reason: "Build 4.1 leaked on a mirror" },
    );
    expect(replaced.status).toBe(201);
    const { revoked, replacement } = replaced.body;
    expect(revoked).toMatchObject({
      id: leaked.id,
      status: "revoked",
      revokedReason: "Build 4.1 leaked on a mirror",
    });
    expect(replacement).toMatchObject({ status: "active", applicationId, origin: "generated" });
    expect(replacement.software_statement).not.toBe(leaked.software_statement);

    // The old statement's clients are cut off at once; the leaked statement registers nothing more.
    expect(await token(device.body.client_id, device.body.client_secret)).toBe(400);
    expect((await register(leaked.software_statement)).status).toBe(400);
    // The replacement works.
    const fresh = await register(replacement.software_statement);
    expect(fresh.status).toBe(201);
    expect(await token(fresh.body.client_id, fresh.body.client_secret)).toBe(201);

    // One audited step: the replacement on the old statement, the generation of the new, one request.
    const events = await serverDb.all<{ action: string; targetId: string; after: string; requestId: string }>(
      `SELECT "action", "targetId", "after", "requestId" FROM "AuditEvent" WHERE "targetId" IN (?, ?)
       AND "action" IN ('statement.replaced', 'statement.generated') ORDER BY "seq"`,
      leaked.id,
      replacement.id,
    );
    const replacedEvent = events.find((e) => e.action === "statement.replaced")!;
    const generated = events.filter(
      (e) => e.action === "statement.generated" && e.targetId === replacement.id,
    );
    expect(replacedEvent.targetId).toBe(leaked.id);
    expect(JSON.parse(replacedEvent.after)).toMatchObject({
      status: "revoked",
      replacedBy: replacement.id,
      registrationsCutOff: 1,
    });
    expect(generated).toHaveLength(1);
    expect(JSON.parse(generated[0]!.after)).toMatchObject({ replaces: leaked.id });
    expect(generated[0]!.requestId).toBe(replacedEvent.requestId);
  });

  it("refuses what may not be replaced, and changes nothing", async () => {
    const statement = await issue();
    const path = `/statements/${statement.id}/replace`;
    const before = await statementCount();
    // No reason, a viewer, another organization's admin (its own org in the path, or acme's), an unknown id.
    const missing = await post<{ error: { code: string; details: { fields: Record<string, string[]> } } }>(
      admin,
      path,
      {},
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields.reason).toBeDefined();
    expect((await post(viewer, path, { reason: "not mine to do" })).status).toBe(403);
    expect((await post(otherAdmin, path, { reason: "not mine to do" }, "globex")).status).toBe(404);
    expect((await post(otherAdmin, path, { reason: "not mine to do" })).status).toBe(404);
    expect(
      (await post(admin, "/statements/no-such-statement/replace", { reason: "nothing there" })).status,
    ).toBe(404);
    expect(await statementCount()).toBe(before);
    expect((await register(statement.software_statement)).status).toBe(201);

    // Revoked already (here by a plain revocation): a replacement would not cut anybody off: 409.
    expect(
      (await post(admin, `/statements/${statement.id}/revoke`, { reason: "revoked first" })).status,
    ).toBe(200);
    expect((await post(admin, path, { reason: "too late" })).status).toBe(409);
    expect(await statementCount()).toBe(before);
  });
});
