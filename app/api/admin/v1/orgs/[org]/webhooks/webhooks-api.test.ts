import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpSession } from "@/test/harness/http";
import { acmeCallers, orgPost } from "@/test/harness/org-api";
import { openServerSql } from "@/test/harness/server-sql";

/**
 * Webhooks over the admin API, against the running app (which has no WEBHOOK_ALLOWED_HOSTS: loopback and
 * private addresses are refused, as in production). Deliveries themselves: lib/webhooks/delivery.test.ts.
 */
const serverDb = await openServerSql();
afterAll(() => serverDb.close());

let admin: HttpSession, viewer: HttpSession, otherAdmin: HttpSession;
beforeAll(async () => {
  ({ admin, viewer, otherAdmin } = await acmeCallers());
});

type Webhook = { id: string; url: string; events: string[]; status: string; secret?: string };
type ErrorBody = {
  error: { code: string; message: string; details?: { fields?: Record<string, string[]> } };
};

// A public address, so that creating it needs no DNS; nothing listens there for the test's deliveries.
const PUBLIC_URL = "https://93.184.215.14/hooks/statements";
const get = async <T>(session: HttpSession, path: string, org = "acme") => {
  const res = await session.fetch(`/api/admin/v1/orgs/${org}${path}`);
  return { status: res.status, body: (await res.json()) as T };
};
const remove = (session: HttpSession, path: string) =>
  session.fetch(`/api/admin/v1/orgs/acme${path}`, { method: "DELETE", headers: { origin: session.baseUrl } });

describe("webhooks in the admin API", () => {
  it("adds a webhook, showing its secret once: stored encrypted, never audited", async () => {
    const created = await orgPost<Webhook>(admin, "/webhooks", {
      url: PUBLIC_URL,
      events: ["statement.uploaded", "statement.revoked", "statement.revoked"],
    });
    expect(created.status).toBe(201);
    const { secret, ...hook } = created.body;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(hook).toMatchObject({
      url: PUBLIC_URL,
      events: ["statement.revoked", "statement.uploaded"],
      status: "active",
    });

    const listed = await get<{ items: Webhook[] }>(viewer, "/webhooks");
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((w) => w.id)).toContain(hook.id);
    const one = await get<Webhook>(viewer, `/webhooks/${hook.id}`);
    expect(one.body).toMatchObject({ id: hook.id, url: PUBLIC_URL });
    expect(JSON.stringify([listed.body, one.body])).not.toContain(secret!.slice(6));

    const row = await serverDb.get<{ secretEncrypted: string }>(
      `SELECT "secretEncrypted" FROM "Webhook" WHERE "id" = ?`,
      hook.id,
    );
    expect(row!.secretEncrypted).toMatch(/^v1\./);
    expect(row!.secretEncrypted).not.toContain(secret!.slice(6, 30));
    const audit = await serverDb.all<{ action: string; after: string | null }>(
      `SELECT "action", "after" FROM "AuditEvent" WHERE "targetId" = ?`,
      hook.id,
    );
    expect(audit.map((e) => e.action)).toEqual(["webhook.created"]);
    expect(JSON.stringify(audit)).not.toContain(secret!.slice(6, 30));

    // A test event is queued and shows in the delivery log; deleting takes the log with it.
    const test = await orgPost<{ eventId: string }>(admin, `/webhooks/${hook.id}/test`, {});
    expect(test.status).toBe(202);
    const log = await get<{ items: { event: string; eventId: string }[]; nextCursor: string | null }>(
      viewer,
      `/webhooks/${hook.id}/deliveries?limit=1`,
    );
    expect(log.status).toBe(200);
    expect(log.body.items).toEqual([
      expect.objectContaining({ event: "webhook.test", eventId: test.body.eventId }),
    ]);
    expect((await remove(admin, `/webhooks/${hook.id}`)).status).toBe(204);
    expect((await get(admin, `/webhooks/${hook.id}`)).status).toBe(404);
    const left = await serverDb.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "WebhookDelivery" WHERE "webhookId" = ?`,
      hook.id,
    );
    expect(Number(left!.n)).toBe(0);
  });

  it("refuses URLs that are not https, carry credentials, or lead into a private network", async () => {
    const refused = [
      "http://93.184.215.14/hook",
      "https://user:pass@93.184.215.14/hook",
      "https://127.0.0.1/hook",
      "https://2130706433/hook",
      "https://localhost:8443/hook",
      "https://10.1.2.3/hook",
      "https://192.168.0.10/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.1.1/hook",
      "https://[::1]/hook",
      "https://[::ffff:127.0.0.1]/hook",
      "https://[fd00::1]/hook",
      `https://a.example/${"x".repeat(2048)}`,
    ];
    const before = await serverDb.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "Webhook"`);
    for (const url of refused) {
      const res = await orgPost<ErrorBody>(admin, "/webhooks", { url, events: ["statement.revoked"] });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code, url).toBe("validation_failed");
      expect(res.body.error.details?.fields?.url?.[0], url).toEqual(expect.any(String));
    }
    for (const events of [[], ["statement.generated"], "statement.revoked", [1]]) {
      const res = await orgPost<ErrorBody>(admin, "/webhooks", { url: PUBLIC_URL, events });
      expect(res.status, JSON.stringify(events)).toBe(400);
      expect(res.body.error.details?.fields?.events, JSON.stringify(events)).toBeDefined();
    }
    const after = await serverDb.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "Webhook"`);
    expect(Number(after!.n)).toBe(Number(before!.n));
  });

  it("lets viewers look but not change, and shows another organization nothing", async () => {
    const { body: hook } = await orgPost<Webhook>(admin, "/webhooks", {
      url: PUBLIC_URL,
      events: ["statement.revoked"],
    });
    const valid = { url: PUBLIC_URL, events: ["statement.revoked"] };
    expect((await orgPost<ErrorBody>(viewer, "/webhooks", valid)).status).toBe(403);
    expect((await orgPost(viewer, `/webhooks/${hook.id}/test`, {})).status).toBe(403);
    expect((await remove(viewer, `/webhooks/${hook.id}`)).status).toBe(403);
    expect((await get(viewer, `/webhooks/${hook.id}/deliveries`)).status).toBe(200);

    // Globex's admin: acme's path is a 404, and so is acme's webhook under globex's own path.
    expect((await get(otherAdmin, "/webhooks")).status).toBe(404);
    for (const path of [`/webhooks/${hook.id}`, `/webhooks/${hook.id}/deliveries`])
      expect((await get(otherAdmin, path, "globex")).status, path).toBe(404);
    expect((await orgPost(otherAdmin, `/webhooks/${hook.id}/test`, {}, "globex")).status).toBe(404);
    const globexDelete = await otherAdmin.fetch(`/api/admin/v1/orgs/globex/webhooks/${hook.id}`, {
      method: "DELETE",
      headers: { origin: otherAdmin.baseUrl },
    });
    expect(globexDelete.status).toBe(404);
    expect((await get(admin, `/webhooks/${hook.id}`)).status).toBe(200);
    expect((await remove(admin, `/webhooks/${hook.id}`)).status).toBe(204);
  });

  it("pauses and resumes a webhook with PATCH { enabled }, for admins only, audited", async () => {
    const { body: hook } = await orgPost<Webhook>(admin, "/webhooks", {
      url: PUBLIC_URL,
      events: ["statement.revoked"],
    });
    const patch = (session: HttpSession, body: unknown, org = "acme") =>
      session
        .fetch(`/api/admin/v1/orgs/${org}/webhooks/${hook.id}`, {
          method: "PATCH",
          headers: { "content-type": "application/json", origin: session.baseUrl },
          body: JSON.stringify(body),
        })
        .then(async (res) => ({ status: res.status, body: (await res.json()) as Webhook & ErrorBody }));
    expect(await patch(admin, { enabled: false })).toMatchObject({ status: 200, body: { status: "paused" } });
    expect((await get<Webhook>(viewer, `/webhooks/${hook.id}`)).body.status).toBe("paused");
    expect((await patch(viewer, { enabled: true })).status).toBe(403);
    expect((await patch(otherAdmin, { enabled: true }, "globex")).status).toBe(404);
    expect(await patch(admin, { enabled: "yes" })).toMatchObject({
      status: 400,
      body: { error: { code: "validation_failed" } },
    });
    expect(await patch(admin, { enabled: true })).toMatchObject({ status: 200, body: { status: "active" } });
    // Asking for the state it is in changes nothing, and records nothing.
    expect((await patch(admin, { enabled: true })).status).toBe(200);
    const audit = await serverDb.all<{ action: string }>(
      `SELECT "action" FROM "AuditEvent" WHERE "targetId" = ? ORDER BY "seq"`,
      hook.id,
    );
    expect(audit.map((e) => e.action)).toEqual(["webhook.created", "webhook.disabled", "webhook.enabled"]);
    expect((await remove(admin, `/webhooks/${hook.id}`)).status).toBe(204);
  });

  it("rotates the signing secret: the new one shown once, neither stored in clear nor audited", async () => {
    const { body: hook } = await orgPost<Webhook>(admin, "/webhooks", {
      url: PUBLIC_URL,
      events: ["statement.revoked"],
    });
    const path = `/webhooks/${hook.id}/rotate-secret`;
    expect((await orgPost(viewer, path, {})).status).toBe(403);
    expect((await orgPost(otherAdmin, path, {}, "globex")).status).toBe(404);
    const rotated = await orgPost<Webhook>(admin, path, {});
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const row = await serverDb.get<Record<string, string>>(
      `SELECT "secretEncrypted", "previousSecretEncrypted" FROM "Webhook" WHERE "id" = ?`,
      hook.id,
    );
    expect(row!.previousSecretEncrypted).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(rotated.body.secret!.slice(6, 30));
    const audit = await serverDb.all<{ action: string; after: string | null }>(
      `SELECT "action", "after" FROM "AuditEvent" WHERE "targetId" = ? ORDER BY "seq"`,
      hook.id,
    );
    expect(audit.map((e) => e.action)).toEqual(["webhook.created", "webhook.secret_rotated"]);
    expect(JSON.stringify(audit)).not.toContain(rotated.body.secret!.slice(6, 30));
    expect((await remove(admin, `/webhooks/${hook.id}`)).status).toBe(204);
  });
});
