import { randomUUID } from "node:crypto";
import { statementIdentity } from "@/lib/statements/identity";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { HttpSession } from "@/test/harness/http";
import { acmeCallers, freshApplication, orgPost } from "@/test/harness/org-api";
import { openServerSql } from "@/test/harness/server-sql";

/**
 * An application's statement URL over HTTP: off until an admin turns it on, then the newest active statement
 * with its fingerprint as ETag (304 when unchanged), the replacement as soon as there is one, and every fetch
 * counted in the activity rollups; turning it on or off is audited and reserved to admins.
 */

const baseUrl = inject("baseUrl");
const serverDb = await openServerSql();
afterAll(() => serverDb.close());

let admin: HttpSession, viewer: HttpSession, otherAdmin: HttpSession;

let appId: string;
let served = 0;
const fetchStatement = async (headers: Record<string, string> = {}, id = appId) => {
  const res = await fetch(`${baseUrl}/o/client/statement/${id}`, {
    headers: { "x-forwarded-for": `198.18.1.${1 + (served % 250)}`, ...headers },
  });
  if (res.status === 200 || res.status === 304) served++;
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: text ? (JSON.parse(text) as Record<string, string>) : null,
  };
};
const fingerprint = (jwt: string) => `"${statementIdentity(jwt)}"`;

const post = orgPost;

beforeAll(async () => {
  ({ admin, viewer, otherAdmin } = await acmeCallers());
  appId = await freshApplication(admin, "Statement URL");
});

describe("GET /o/client/statement/{applicationId}", () => {
  it("serves nothing until an admin turns it on, then the newest active statement, revalidated by ETag", async () => {
    const first = (
      await post<{ id: string; software_statement: string }>(admin, `/applications/${appId}/statements`, {})
    ).body;
    const off = await fetchStatement();
    expect(off.status).toBe(404);
    expect(off.body).toEqual({ error: "not_found", error_description: expect.any(String) });

    const on = await post<{ statementUrl: boolean }>(admin, `/applications/${appId}/statement-url`, {
      enabled: true,
    });
    expect(on).toMatchObject({ status: 200, body: { statementUrl: true } });
    const got = await fetchStatement();
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ software_statement: first.software_statement });
    expect(got.headers.get("etag")).toBe(fingerprint(first.software_statement));
    expect(got.headers.get("cache-control")).toBe("no-cache");
    const unchanged = await fetchStatement({ "if-none-match": got.headers.get("etag")! });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe("");

    // A newer statement is served from then on; an app holding the old one gets it at its next revalidation.
    const second = (
      await post<{ id: string; software_statement: string }>(admin, `/applications/${appId}/statements`, {})
    ).body;
    const changed = await fetchStatement({ "if-none-match": got.headers.get("etag")! });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ software_statement: second.software_statement });

    // Replaced after a leak: the replacement is served, the leaked one no more.
    const { body } = await post<{ replacement: { software_statement: string } }>(
      admin,
      `/statements/${second.id}/replace`,
      { reason: "Leaked build (statement URL test)" },
    );
    const replaced = await fetchStatement();
    expect(replaced.body).toEqual({ software_statement: body.replacement.software_statement });

    // Every 200 and 304 was counted under the application, in the activity API.
    const activity = await admin.fetch(`/api/admin/v1/orgs/acme/activity?bucket=hour&applicationId=${appId}`);
    const points = ((await activity.json()) as { points: { statementFetches: number }[] }).points;
    expect(points.reduce((n, p) => n + p.statementFetches, 0)).toBe(served);

    // Off again: 404 at once.
    expect((await post(admin, `/applications/${appId}/statement-url`, { enabled: false })).status).toBe(200);
    expect((await fetchStatement()).status).toBe(404);
    const events = await serverDb.all<{ action: string }>(
      `SELECT "action" FROM "AuditEvent" WHERE "targetId" = ? AND "action" LIKE 'application.statement_url_%' ORDER BY "seq"`,
      appId,
    );
    expect(events.map((e) => e.action)).toEqual([
      "application.statement_url_enabled",
      "application.statement_url_disabled",
    ]);
  });

  it("answers 404 in the OAuth shape for what publishes nothing, and only admins switch it", async () => {
    for (const id of [randomUUID(), "no-such-app", "a".repeat(65)])
      expect((await fetchStatement({}, id)).body).toEqual({
        error: "not_found",
        error_description: expect.any(String),
      });
    const path = `/applications/${appId}/statement-url`;
    expect((await post(viewer, path, { enabled: true })).status).toBe(403);
    expect((await post(otherAdmin, path, { enabled: true })).status).toBe(404);
    expect((await post(otherAdmin, path, { enabled: true }, "globex")).status).toBe(404);
    expect((await post(admin, path, { enabled: "yes" })).status).toBe(400);
    expect((await post(admin, path, {})).status).toBe(400);
    expect((await fetchStatement()).status).toBe(404);
  });

  it("never serves an expired statement: the newest one that can still register, or nothing", async () => {
    const id = await freshApplication(admin, "Statement URL expiry");
    type Made = { id: string; software_statement: string };
    const older = (await post<Made>(admin, `/applications/${id}/statements`, {})).body;
    const newer = (await post<Made>(admin, `/applications/${id}/statements`, {})).body;
    expect((await post(admin, `/applications/${id}/statement-url`, { enabled: true })).status).toBe(200);
    expect((await fetchStatement({}, id)).body).toEqual({ software_statement: newer.software_statement });
    // As an uploaded statement with an `exp` would be, once that time has passed.
    const expire = (statementId: string) =>
      serverDb.run(
        `UPDATE "SoftwareStatement" SET "expiresAt" = ? WHERE "id" = ?`,
        new Date(Date.now() - 1000),
        statementId,
      );
    await expire(newer.id);
    expect((await fetchStatement({}, id)).body).toEqual({ software_statement: older.software_statement });
    await expire(older.id);
    expect((await fetchStatement({}, id)).status).toBe(404);
  });
});
