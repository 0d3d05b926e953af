import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";
import { startHttpsReceiver } from "@/test/harness/https-receiver";
import { orgWithMembers } from "@/test/harness/org-scope";

/**
 * Deliveries, end to end in this process: the statement services write the outbox, `deliverDue` sends it to an
 * HTTPS receiver on loopback (a self-signed certificate trusted through WEBHOOK_CA_FILE, loopback allowed by
 * WEBHOOK_ALLOWED_HOSTS, as only a test would set them), and the test checks what arrived as a receiver would.
 */
const receiver = await startHttpsReceiver();
freshTestDatabase();
process.env.WEBHOOK_ALLOWED_HOSTS = "127.0.0.1";
process.env.WEBHOOK_CA_FILE = receiver.certFile;

const { db } = await import("@/lib/db");
const { createApplication } = await import("@/lib/applications/service");
const { addTrustedIssuer } = await import("@/lib/issuers/service");
const { generateStatement, revokeStatement, replaceStatement } = await import("@/lib/statements/service");
const { uploadStatement } = await import("@/lib/statements/upload");
const { ConflictError, ForbiddenError, NotFoundError } = await import("@/lib/errors");
const { createWebhook, retryDelivery, sendTestEvent } = await import("./service");
const { MAX_ATTEMPTS } = await import("./deliver");
const { deliverDue } = await import("./sender");
const { enqueueWebhookEvent } = await import("./outbox");
const { withAudit } = await import("@/lib/audit");
const { auditContextOf } = await import("@/lib/auth/scope");
type OrgScope = import("@/lib/auth/scope").OrgScope;

const { received } = receiver;
const receiverUrl = `${receiver.origin}/hooks/statements`;

let admin: OrgScope, viewer: OrgScope;
let secret: string, webhookId: string, applicationId: string;

beforeAll(async () => {
  ({ admin, viewer } = await orgWithMembers(db, "hooks"));
  applicationId = (
    await createApplication(admin, { name: "Hooks TV", platforms: ["tvOS"], domains: ["h.test"] })
  ).id;
  const hook = await createWebhook(admin, {
    url: receiverUrl,
    events: ["statement.revoked", "statement.replaced", "statement.uploaded"],
  });
  secret = hook.secret;
  webhookId = hook.id;
});
afterAll(() => receiver.close());
beforeEach(() => {
  received.length = 0;
  receiver.answers.length = 0;
});

/** What a receiver does (docs/webhooks.md): recompute the signature from the secret and compare. */
function verified(r: (typeof received)[number]) {
  const id = String(r.headers["webhook-id"]);
  const timestamp = String(r.headers["webhook-timestamp"]);
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${r.body}`).digest("base64");
  expect(String(r.headers["webhook-signature"]).split(" ")).toContain(`v1,${expected}`);
  expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);
  expect(r.headers["content-type"]).toBe("application/json");
  const payload = JSON.parse(r.body) as {
    id: string;
    type: string;
    organization: { id: string; slug: string };
    data: Record<string, { id: string; status: string; fingerprint: string }>;
  };
  expect(payload.id).toBe(id);
  expect(payload.organization).toEqual({ id: admin.org.id, slug: "hooks" });
  return payload;
}

const deliveries = () => db.webhookDelivery.findMany({ where: { webhookId }, orderBy: { createdAt: "asc" } });

describe("webhook deliveries", () => {
  it("keeps the secret encrypted, and out of the audit trail", async () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const row = await db.webhook.findUniqueOrThrow({ where: { id: webhookId } });
    expect(row.secretEncrypted).not.toContain(secret.slice(6, 30));
    const events = await db.auditEvent.findMany({ where: { targetId: webhookId } });
    expect(events.map((e) => e.action)).toEqual(["webhook.created"]);
    expect(JSON.stringify(events)).not.toContain(secret.slice(6, 30));
    expect(JSON.stringify(events)).not.toContain(row.secretEncrypted);
  });

  it("tells of a revocation with a signed payload, and sends nothing for a revocation that failed", async () => {
    const statement = await generateStatement(admin, applicationId);
    await revokeStatement(admin, statement.id, { reason: "Leaked build" });
    // A second revocation is refused: its transaction, outbox row included, is rolled back.
    await expect(revokeStatement(admin, statement.id, { reason: "Again" })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(revokeStatement(viewer, statement.id, { reason: "Viewer" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect((await deliveries()).filter((d) => d.status === "PENDING")).toHaveLength(1);

    expect(await deliverDue()).toBe(1);
    expect(received).toHaveLength(1);
    const payload = verified(received[0]!);
    expect(payload.type).toBe("statement.revoked");
    expect(payload.data.statement).toMatchObject({
      id: statement.id,
      status: "revoked",
      fingerprint: statement.fingerprint,
    });
    expect(received[0]!.body).not.toContain(statement.software_statement);
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({
      status: "DELIVERED",
      attempts: 1,
      lastStatusCode: 200,
      nextAttemptAt: null,
    });
    expect(await deliverDue()).toBe(0);
  });

  it("writes no delivery when the transaction that made the event rolls back", async () => {
    const before = (await deliveries()).length;
    await expect(
      withAudit(auditContextOf(admin), async (tx) => {
        expect(await enqueueWebhookEvent(tx, admin.org, "statement.revoked", {})).toEqual({
          eventId: expect.any(String),
          droppedFor: [],
        });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await deliveries()).toHaveLength(before);
  });

  it("tells of a replacement, with the replacement", async () => {
    const statement = await generateStatement(admin, applicationId);
    const { replacement } = await replaceStatement(admin, statement.id, { reason: "Rotate" });
    expect(await deliverDue()).toBe(1);
    const payload = verified(received[0]!);
    expect(payload.type).toBe("statement.replaced");
    expect(payload.data.statement).toMatchObject({ id: statement.id, status: "revoked" });
    expect(payload.data.replacement).toMatchObject({ id: replacement.id, status: "active" });
  });

  it("tells of an upload", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const iss = `https://issuer-${randomUUID().slice(0, 8)}.example.test`;
    await addTrustedIssuer(admin, {
      iss,
      jwks: { keys: [{ ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "ES256", use: "sig" }] },
    });
    const jwt = await new SignJWT({ software_id: applicationId })
      .setProtectedHeader({ alg: "ES256", kid: "k1", typ: "JWT" })
      .setIssuer(iss)
      .setSubject(applicationId)
      .setIssuedAt()
      .sign(privateKey);
    const { statement } = await uploadStatement(admin, { software_statement: jwt });
    expect(await deliverDue()).toBe(1);
    const payload = verified(received[0]!);
    expect(payload.type).toBe("statement.uploaded");
    expect(payload.data.statement).toMatchObject({ id: statement.id, status: "active" });
    expect(received[0]!.body).not.toContain(jwt);
  });

  it("retries a failed delivery with back-off, under the same Webhook-Id, gives up after the last attempt, and retries on request", async () => {
    receiver.answers.push(500);
    await sendTestEvent(admin, webhookId);
    const now = new Date();
    expect(await deliverDue(now)).toBe(1);
    let [last] = (await deliveries()).slice(-1);
    expect(last).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: 500 });
    expect(last!.lastError).toMatch(/^HTTP 500: receiver says hi/);
    const wait = last!.nextAttemptAt!.getTime() - now.getTime();
    expect(wait).toBeGreaterThanOrEqual(27_000);
    expect(wait).toBeLessThanOrEqual(33_000);
    // Not due yet: nothing is sent.
    expect(await deliverDue(new Date(now.getTime() + 20_000))).toBe(0);
    expect(await deliverDue(last!.nextAttemptAt!)).toBe(1);
    [last] = (await deliveries()).slice(-1);
    expect(last).toMatchObject({ status: "DELIVERED", attempts: 2, lastStatusCode: 200, lastError: null });
    expect(received).toHaveLength(2);
    expect(received[0]!.headers["webhook-id"]).toBe(received[1]!.headers["webhook-id"]);
    expect(verified(received[1]!).type).toBe("webhook.test");

    // A receiver that always fails: each wait longer than the one before, then "failed".
    receiver.answers.push(...Array<number>(MAX_ATTEMPTS).fill(503));
    await sendTestEvent(admin, webhookId);
    let at = new Date();
    const waits: number[] = [];
    for (let n = 1; n <= MAX_ATTEMPTS; n++) {
      expect(await deliverDue(at)).toBe(1);
      [last] = (await deliveries()).slice(-1);
      if (last!.nextAttemptAt) waits.push(last!.nextAttemptAt.getTime() - at.getTime());
      at = last!.nextAttemptAt ?? at;
    }
    expect(last).toMatchObject({ status: "FAILED", attempts: MAX_ATTEMPTS, nextAttemptAt: null });
    expect(waits).toHaveLength(MAX_ATTEMPTS - 1);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1]!);

    // "Retry now": one more attempt, at the next pass; a delivery that has not failed cannot be retried.
    const retried = await retryDelivery(admin, webhookId, last!.id);
    expect(retried).toMatchObject({ status: "pending", attempts: MAX_ATTEMPTS });
    await expect(retryDelivery(admin, webhookId, last!.id)).rejects.toBeInstanceOf(ConflictError);
    await expect(retryDelivery(viewer, webhookId, last!.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(retryDelivery(admin, "another", last!.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await deliverDue()).toBe(1);
    [last] = (await deliveries()).slice(-1);
    expect(last).toMatchObject({ status: "DELIVERED", attempts: MAX_ATTEMPTS + 1, lastStatusCode: 200 });
    const audited = await db.auditEvent.findMany({
      where: { targetId: webhookId, action: "webhook.delivery_retried" },
    });
    expect(audited).toHaveLength(1);
  });

  it("refuses to send to a private address at send time, and says so in the log", async () => {
    // Written past the checks at creation, as a URL whose name later resolves somewhere private would be.
    const hook = await db.webhook.create({
      data: {
        organizationId: admin.org.id,
        url: "https://10.20.30.40/hook",
        events: JSON.stringify(["statement.revoked"]),
        secretEncrypted: (await db.webhook.findUniqueOrThrow({ where: { id: webhookId } })).secretEncrypted,
      },
    });
    await sendTestEvent(admin, hook.id);
    expect(await deliverDue()).toBe(1);
    const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
    expect(delivery).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: null });
    expect(delivery.lastError).toMatch(/^Refused: 10\.20\.30\.40 is a private \(RFC 1918\) address/);
    expect(received).toHaveLength(0);
    await db.webhook.delete({ where: { id: hook.id } });
  });

  it("sends each due attempt once when two senders run at the same time", async () => {
    await sendTestEvent(admin, webhookId);
    const sent = await Promise.all([deliverDue(), deliverDue(), deliverDue()]);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
    expect(received).toHaveLength(1);
  });
});

describe("a paused webhook", () => {
  it("holds what was queued, queues nothing new, and sends what waited once resumed (audited)", async () => {
    const { setWebhookEnabled } = await import("./service");
    const queued = await generateStatement(admin, applicationId);
    await revokeStatement(admin, queued.id, { reason: "Queued before the pause" });
    expect(await setWebhookEnabled(admin, webhookId, { enabled: false })).toMatchObject({ status: "paused" });
    await expect(setWebhookEnabled(viewer, webhookId, { enabled: true })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const whilePaused = await generateStatement(admin, applicationId);
    await revokeStatement(admin, whilePaused.id, { reason: "Revoked while paused" });
    await expect(sendTestEvent(admin, webhookId)).rejects.toBeInstanceOf(ConflictError);

    const about = (id: string) => received.filter((r) => r.body.includes(id));
    await deliverDue();
    expect(about(queued.id)).toHaveLength(0);
    expect(await db.webhookDelivery.count({ where: { payload: { contains: whilePaused.id } } })).toBe(0);

    await setWebhookEnabled(admin, webhookId, { enabled: true });
    await deliverDue();
    expect(about(queued.id)).toHaveLength(1);
    verified(about(queued.id)[0]!);
    const events = await db.auditEvent.findMany({
      where: { targetId: webhookId, action: { in: ["webhook.disabled", "webhook.enabled"] } },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => e.action)).toEqual(["webhook.disabled", "webhook.enabled"]);
  });
});

describe("rotating the secret", () => {
  it("signs with both secrets for a day, so the receiver can switch, then with the new one only", async () => {
    const { rotateWebhookSecret, ROTATION_OVERLAP_MS } = await import("./service");
    const old = secret;
    const rotated = await rotateWebhookSecret(admin, webhookId);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(old);
    await expect(rotateWebhookSecret(viewer, webhookId)).rejects.toBeInstanceOf(ForbiddenError);
    const row = await db.webhook.findUniqueOrThrow({ where: { id: webhookId } });
    expect(row.previousSecretUntil!.getTime()).toBeGreaterThan(Date.now() + ROTATION_OVERLAP_MS - 60_000);

    /** A test event's delivery, and which of the two secrets signed it (as a receiver checks). */
    const signers = async () => {
      received.length = 0;
      await sendTestEvent(admin, webhookId);
      await deliverDue();
      const [r] = received.filter((x) => x.body.includes('"webhook.test"'));
      const listed = String(r!.headers["webhook-signature"]).split(" ");
      const signed = `${String(r!.headers["webhook-id"])}.${String(r!.headers["webhook-timestamp"])}.${r!.body}`;
      const by = (key: string) =>
        listed.includes(
          `v1,${createHmac("sha256", Buffer.from(key.slice("whsec_".length), "base64"))
            .update(signed)
            .digest("base64")}`,
        );
      return { count: listed.length, old: by(old), current: by(rotated.secret) };
    };
    expect(await signers()).toEqual({ count: 2, old: true, current: true });

    // The day is over: the old secret signs nothing more.
    await db.webhook.update({
      where: { id: webhookId },
      data: { previousSecretUntil: new Date(Date.now() - 1) },
    });
    expect(await signers()).toEqual({ count: 1, old: false, current: true });

    const events = await db.auditEvent.findMany({
      where: { targetId: webhookId, action: "webhook.secret_rotated" },
    });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(rotated.secret.slice(6, 30));
    expect(JSON.stringify(events)).not.toContain(old.slice(6, 30));
    secret = rotated.secret;
  });
});
