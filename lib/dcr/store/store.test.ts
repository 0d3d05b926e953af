import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";

freshTestDatabase();
const { db } = await import("@/lib/db");
const { env } = await import("@/lib/env");
const { withAudit, verifyAuditChain } = await import("@/lib/audit");
const { openDcrStore, storeOn } = await import("./index");
const { openSqlExecutor } = await import("@/lib/sql/open");
type DcrStore = import("./types").DcrStore;

/** Two stores on one database: what two app instances (or two cluster workers) share. */
const a = openDcrStore(env.DATABASE_URL);
const b = openDcrStore(env.DATABASE_URL);
const ctx = {
  actor: { userId: null, email: null, role: "CLIENT", actingFor: false },
  request: { requestId: null, ip: "192.0.2.1", userAgent: "vitest" },
};
let org: { id: string };
let statement: { id: string; applicationId: string; fingerprint: string };

beforeAll(async () => {
  org = await db.organization.create({ data: { slug: "store", name: "Store" } });
  const app = await db.application.create({
    data: {
      organizationId: org.id,
      name: "App",
      version: "1",
      platforms: '["Roku"]',
      domains: '["app.test"]',
      scopes: '["api:client:v2"]',
    },
  });
  statement = await db.softwareStatement.create({
    data: {
      organizationId: org.id,
      applicationId: app.id,
      jwt: "h.p.s",
      header: "{}",
      claims: "{}",
      fingerprint: randomUUID(),
      issuer: "https://issuer.test",
      algorithm: "RS256",
      origin: "GENERATED",
    },
  });
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

/** A statement's registrations as the dashboard reads them: the sum of its tally's shards. */
async function registrationTally(statementId: string) {
  const sum = await db.statementTally.aggregate({ where: { statementId }, _sum: { registrations: true } });
  return sum._sum.registrations ?? 0;
}

function registration(statementId = statement.id) {
  return {
    id: randomUUID(),
    clientId: randomUUID(),
    secretHash: "ab".repeat(32),
    organizationId: org.id,
    statementId,
    applicationId: statement.applicationId,
    deviceInfo: null,
    platform: "Roku",
    deviceModel: null,
    redirectUri: null,
    ip: "192.0.2.1",
    userAgent: "vitest",
    simulated: false,
    tokenLifetimeOverride: null,
    createdAt: new Date(),
  };
}

describe("the hot path's store", () => {
  it("shares one token bucket between instances, and a refused request takes nothing", async () => {
    const t0 = 1_800_000_000_000;
    const key = `ip:${randomUUID()}`;
    const take = (store: DcrStore, at: number) => store.takeThrottle(key, 1, 3, at);
    expect([await take(a, t0), await take(b, t0), await take(a, t0)]).toEqual([0, 0, 0]);
    expect(await take(b, t0)).toBe(1);
    expect(await take(a, t0 + 500)).toBe(1); // half a token: still refused, and nothing taken
    expect(await take(b, t0 + 1000)).toBe(0); // a whole token refilled on the shared bucket
    expect(await take(a, t0 + 1000)).toBe(1);
    // After a long idle the bucket is full again, never beyond the burst: three go, the fourth waits.
    const later = [a, b, a, b].map((store) => () => take(store, t0 + 60_000));
    const results: number[] = [];
    for (const call of later) results.push(await call());
    expect(results).toEqual([0, 0, 0, 1]);
  });

  it("registers from two instances and Prisma at once without forking the audit chain", async () => {
    const before = await registrationTally(statement.id);
    const registered = (store: DcrStore) => {
      const r = registration();
      return store.insertRegistration(
        r,
        { ctx, entry: { action: "client.registered", organizationId: org.id, targetId: r.clientId } },
        "device",
      );
    };
    const dashboard = () =>
      withAudit(ctx, (_tx, audit) => audit({ action: "test.dashboard", organizationId: org.id }));
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? dashboard() : registered(i % 2 ? a : b))),
    );
    const after = await registrationTally(statement.id);
    expect(after - before).toBe(30);
    expect(await db.clientRegistration.count({ where: { statementId: statement.id } })).toBe(after);
    const verified = await verifyAuditChain(org.id);
    expect(verified).toEqual({
      ok: true,
      checked: await db.auditEvent.count({ where: { organizationId: org.id } }),
    });
  });

  it("writes rows Prisma reads back as written (dates, booleans, counters)", async () => {
    const r = { ...registration(), simulated: true, tokenLifetimeOverride: 20 };
    await a.insertRegistration(
      r,
      { ctx, entry: { action: "client.registered", organizationId: org.id } },
      "device",
    );
    const stored = await db.clientRegistration.findUniqueOrThrow({ where: { clientId: r.clientId } });
    expect(stored).toMatchObject({
      simulated: true,
      tokenLifetimeOverride: 20,
      createdAt: r.createdAt,
    });
    expect(await db.clientTally.count({ where: { registrationId: r.id } })).toBe(0);
    const client = await b.client(r.clientId);
    expect(client).toMatchObject({
      id: r.id,
      lifetimeSeconds: 20,
      scopes: ["api:client:v2"],
      statementActive: true,
    });

    const issuedAt = new Date();
    const expiresAt = new Date(issuedAt.getTime() + 20_000);
    await b.insertToken(
      {
        id: randomUUID(),
        jti: randomUUID(),
        registrationId: r.id,
        organizationId: org.id,
        issuedAt,
        expiresAt,
      },
      r,
    );
    const token = await db.accessToken.findFirstOrThrow({ where: { registrationId: r.id } });
    expect(token).toMatchObject({ issuedAt, expiresAt });
    expect(await db.clientTally.findMany({ where: { registrationId: r.id } })).toMatchObject([
      { tokens: 1, lastTokenAt: issuedAt },
    ]);
  });

  it("commits concurrent writes together, yet one bad row fails only itself", async () => {
    const good = [registration(), registration(), registration()];
    const duplicate = { ...registration(), clientId: good[0]!.clientId };
    const event = { ctx, entry: { action: "client.registered", organizationId: org.id } };
    const rows = [...good, duplicate];
    const results = await Promise.allSettled(rows.map((r) => a.insertRegistration(r, event, r.id)));
    // Of the two rows with one clientId, the first queued is stored and the other refused: the four are one
    // group commit, which fails, and is then retried one write at a time, in order.
    const statuses = results.map((r) => r.status);
    expect(statuses).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected"]);
    const stored = await db.clientRegistration.findMany({ where: { id: { in: rows.map((r) => r.id) } } });
    expect(stored.map((r) => r.id).sort()).toEqual(
      rows
        .filter((_, i) => statuses[i] === "fulfilled")
        .map((r) => r.id)
        .sort(),
    );
    expect(await verifyAuditChain(org.id)).toMatchObject({ ok: true });
  });

  it("lets the tokens of the next few milliseconds after a commit share one commit", async () => {
    const executor = openSqlExecutor(env.DATABASE_URL);
    let commits = 0;
    // A pace far longer than the five turns below take on any machine (the store's own is a few milliseconds).
    const store = storeOn(
      { ...executor, transaction: (program) => (commits++, executor.transaction(program)) },
      { paceMs: 500 },
    );
    const client = registration();
    await store.insertRegistration(client, { ctx, entry: { action: "x", organizationId: org.id } }, "d");
    const who = {
      organizationId: org.id,
      applicationId: statement.applicationId,
      statementId: statement.id,
    };
    const token = () => {
      const issuedAt = new Date();
      const expiresAt = new Date(issuedAt.getTime() + 3_600_000);
      const row = {
        id: randomUUID(),
        jti: randomUUID(),
        registrationId: client.id,
        organizationId: org.id,
      };
      return store.insertToken({ ...row, issuedAt, expiresAt }, who);
    };
    await token();
    commits = 0;
    // Five tokens, each in a turn of the event loop of its own, right after that commit: without pacing each
    // turn would commit alone (five commits on SQLite; on PostgreSQL two in flight, then the other three).
    const tokens: Promise<void>[] = [];
    for (let i = 0; i < 5; i++) {
      tokens.push(token());
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(tokens);
    expect(commits).toBe(1);
    expect(await db.accessToken.count({ where: { registrationId: client.id } })).toBe(6);
    await store.close();
  });

  it("answers reads made together each with its own row (one statement on PostgreSQL)", async () => {
    const rows = Array.from({ length: 12 }, () => registration());
    const event = { ctx, entry: { action: "client.registered", organizationId: org.id } };
    await Promise.all(rows.map((r) => a.insertRegistration(r, event, r.id)));
    const unknown = randomUUID();
    const read = await Promise.all(
      [...rows.map((r) => r.clientId), unknown, rows[0]!.clientId].map((id) => b.client(id)),
    );
    expect(read.map((client) => client?.id ?? null)).toEqual([...rows.map((r) => r.id), null, rows[0]!.id]);
    const known = await Promise.all(
      [statement.fingerprint, "0".repeat(64)].map((f) => b.statementByFingerprint(f)),
    );
    expect(known.map((k) => k?.id ?? null)).toEqual([statement.id, null]);
  });

  it("sees a revocation at once, on every instance", async () => {
    const r = registration();
    await a.insertRegistration(r, { ctx, entry: { action: "x", organizationId: org.id } }, r.id);
    // Read (and on SQLite remembered) by both before the revocation, read again by both after it.
    for (const store of [a, b]) {
      expect((await store.client(r.clientId))?.statementActive).toBe(true);
      expect((await store.statementByFingerprint(statement.fingerprint))?.active).toBe(true);
    }
    await db.softwareStatement.update({ where: { id: statement.id }, data: { status: "REVOKED" } });
    for (const store of [a, b]) {
      expect((await store.client(r.clientId))?.statementActive).toBe(false);
      expect((await store.statementByFingerprint(statement.fingerprint))?.active).toBe(false);
    }
    // The hot path's own writes in between (a token of another client) do not hide the next change.
    await db.softwareStatement.update({ where: { id: statement.id }, data: { status: "ACTIVE" } });
    await a.insertRegistration(registration(), { ctx, entry: { action: "x", organizationId: org.id } }, "d");
    expect((await a.client(r.clientId))?.statementActive).toBe(true);
    await db.organization.update({ where: { id: org.id }, data: { issuerGeneration: { increment: 1 } } });
    const generation = (await db.organization.findUniqueOrThrow({ where: { id: org.id } })).issuerGeneration;
    for (const store of [a, b])
      expect((await store.statementByFingerprint(statement.fingerprint))?.issuerGeneration).toBe(generation);
  });
});

describe("refusals", () => {
  const refusal = (at: Date, requestId: string) => ({
    id: randomUUID(),
    at,
    requestId,
    endpoint: "token",
    status: 400,
    code: "invalid_client",
    reason: "wrong_secret",
    description: "Client authentication failed.",
    organizationId: org.id,
    applicationId: statement.applicationId,
    statementId: statement.id,
    clientId: null,
    ip: "192.0.2.1",
    userAgent: "vitest",
  });

  it("are stored with their audit event, and those past REFUSAL_RETENTION_DAYS are pruned", async () => {
    const old = new Date(Date.now() - (env.REFUSAL_RETENTION_DAYS + 1) * 86_400_000);
    const kept = new Date(Date.now() - (env.REFUSAL_RETENTION_DAYS - 1) * 86_400_000);
    await db.refusal.createMany({
      data: [refusal(old, "old-1"), refusal(old, "old-2"), refusal(kept, "kept")],
    });
    // A fresh store prunes on its first refusal (and then every thousand, or hourly).
    const store = openDcrStore(env.DATABASE_URL);
    try {
      await store.refuse(refusal(new Date(), "new"), {
        ctx,
        entry: {
          action: "token.rejected",
          organizationId: org.id,
          targetType: "client",
          after: { reason: "x" },
        },
      });
    } finally {
      await store.close();
    }
    const left = await db.refusal.findMany({ where: { organizationId: org.id }, orderBy: { at: "asc" } });
    expect(left.map((r) => r.requestId)).toEqual(["kept", "new"]);
    expect(await db.auditEvent.count({ where: { organizationId: org.id, action: "token.rejected" } })).toBe(
      1,
    );
  });
});
