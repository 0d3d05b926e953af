import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { orgPost } from "@/test/harness/org-api";
import { openServerSql } from "@/test/harness/server-sql";

/**
 * What one webhook may put on the outbox, over the admin API against the running app (docs/webhooks.md): a few
 * test events a minute, and a capped backlog past which events are recorded as dropped instead of queued. In an
 * organization of its own, which a support representative acts for: acme's 10 webhooks may be taken by the
 * files that ran before.
 */
const serverDb = await openServerSql();
afterAll(() => serverDb.close());

let rep: HttpSession;
let organizationId: string;
const org = `limits-${randomUUID().slice(0, 8)}`;
beforeAll(async () => {
  organizationId = randomUUID();
  await serverDb.run(
    `INSERT INTO "Organization" ("id", "slug", "name", "updatedAt") VALUES (?, ?, 'Limits', ?)`,
    organizationId,
    org,
    new Date(),
  );
  rep = await HttpSession.signedIn("rep@support.test");
});

type ErrorBody = { error: { code: string; message: string } };
type Delivery = { id: string; event: string; eventId: string; status: string; lastError: string | null };

// A public address, so that creating it needs no DNS; nothing listens there.
const PUBLIC_URL = "https://93.184.215.14/hooks/limits";
// The numbers docs/webhooks.md promises.
const TEST_EVENTS_PER_MINUTE = 5;
const MAX_BACKLOG = 1_000;

async function newWebhook(): Promise<string> {
  const { status, body } = await orgPost<{ id: string }>(
    rep,
    "/webhooks",
    { url: PUBLIC_URL, events: ["statement.revoked"] },
    org,
  );
  expect(status).toBe(201);
  return body.id;
}
const removeWebhook = (id: string) =>
  rep.fetch(`/api/admin/v1/orgs/${org}/webhooks/${id}`, {
    method: "DELETE",
    headers: { origin: rep.baseUrl },
  });
const deliveriesOf = async (id: string) =>
  Number(
    (await serverDb.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "WebhookDelivery" WHERE "webhookId" = ?`,
      id,
    ))!.n,
  );

describe("test events", () => {
  it(`answers 429 with Retry-After past ${TEST_EVENTS_PER_MINUTE} a minute per webhook, queuing nothing more`, async () => {
    const id = await newWebhook();
    for (let i = 0; i < TEST_EVENTS_PER_MINUTE; i++)
      expect((await orgPost(rep, `/webhooks/${id}/test`, {}, org)).status, `test event ${i + 1}`).toBe(202);

    const res = await rep.fetch(`/api/admin/v1/orgs/${org}/webhooks/${id}/test`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: rep.baseUrl },
      body: "{}",
    });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(/test events in the last minute: try again in \d+ s\./);
    expect(await deliveriesOf(id)).toBe(TEST_EVENTS_PER_MINUTE);

    // Each webhook has its own allowance.
    const other = await newWebhook();
    expect((await orgPost(rep, `/webhooks/${other}/test`, {}, org)).status).toBe(202);
    for (const hook of [id, other]) expect((await removeWebhook(hook)).status).toBe(204);
  });
});

describe("the backlog cap", () => {
  it(`records an event past ${MAX_BACKLOG} waiting deliveries as dropped, in the log, and queues nothing`, async () => {
    const id = await newWebhook();
    // A backlog at the cap: deliveries waiting for a retry tomorrow (so the app's sender leaves them alone).
    const tomorrow = new Date(Date.now() + 86_400_000);
    const rows = Array.from({ length: MAX_BACKLOG }, () => [
      randomUUID(),
      id,
      organizationId,
      `evt_${randomUUID()}`,
      tomorrow,
    ]);
    await serverDb.run(
      `INSERT INTO "WebhookDelivery" ("id", "webhookId", "organizationId", "event", "eventId", "payload", "status", "attempts", "nextAttemptAt") VALUES ${rows
        .map(() => `(?, ?, ?, 'statement.revoked', ?, '{}', 'PENDING', 1, ?)`)
        .join(", ")}`,
      ...rows.flat(),
    );

    const sent = await orgPost<{ eventId: string; status: string }>(rep, `/webhooks/${id}/test`, {}, org);
    expect(sent).toMatchObject({ status: 202, body: { status: "dropped" } });
    const log = await rep.fetch(`/api/admin/v1/orgs/${org}/webhooks/${id}/deliveries?limit=1`);
    const { items } = (await log.json()) as { items: Delivery[] };
    expect(items).toEqual([
      expect.objectContaining({
        event: "webhook.test",
        eventId: sent.body.eventId,
        status: "dropped",
        lastError: expect.stringMatching(/^Dropped: 1,000 deliveries were already waiting/),
      }),
    ]);
    const pending = await serverDb.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "WebhookDelivery" WHERE "webhookId" = ? AND "status" = 'PENDING'`,
      id,
    );
    expect(Number(pending!.n)).toBe(MAX_BACKLOG);

    // One delivered, and there is room again: the next event is queued.
    await serverDb.run(
      `UPDATE "WebhookDelivery" SET "status" = 'DELIVERED', "nextAttemptAt" = NULL WHERE "id" = ?`,
      rows[0]![0],
    );
    const next = await orgPost<{ status: string }>(rep, `/webhooks/${id}/test`, {}, org);
    expect(next).toMatchObject({ status: 202, body: { status: "pending" } });
    expect((await removeWebhook(id)).status).toBe(204);
  });
});
