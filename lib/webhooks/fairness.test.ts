import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";
import { startHttpsReceiver } from "@/test/harness/https-receiver";
import { orgWithMembers } from "@/test/harness/org-scope";

/**
 * One organization's stuck receiver must not hold up another's deliveries (issue 27): the real worker
 * (startWebhookWorker, as the console's process runs it) on a real database, sending over HTTPS to receivers on
 * loopback, one of which accepts every request and never answers.
 */
const healthy = await startHttpsReceiver();
const stuck = await startHttpsReceiver({ silent: true });
// A receiver that accepts TCP and never starts TLS: only the connect timeout ends an attempt to it.
const mute: Socket[] = [];
const tcp = createServer((socket) => void mute.push(socket));
await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));

freshTestDatabase();
const caFile = path.join(mkdtempSync(path.join(tmpdir(), "sc-fairness-")), "ca.pem");
writeFileSync(caFile, [healthy.certFile, stuck.certFile].map((f) => readFileSync(f, "utf8")).join("\n"));
process.env.WEBHOOK_ALLOWED_HOSTS = "127.0.0.1";
process.env.WEBHOOK_CA_FILE = caFile;

const { db } = await import("@/lib/db");
const { createWebhook, sendTestEvent } = await import("./service");
const { enqueueWebhookEvent, TEST_EVENT } = await import("./outbox");
const { startWebhookWorker } = await import("./worker");
const { deliverDue, MAX_IN_FLIGHT_PER_WEBHOOK } = await import("./sender");
const { CONNECT_TIMEOUT_MS, RESPONSE_TIMEOUT_MS } = await import("./send");

afterAll(async () => {
  await Promise.all([healthy.close(), stuck.close()]);
  for (const socket of mute) socket.destroy();
  tcp.close();
});

const events = ["statement.revoked"];

describe("fair sending", () => {
  it("delivers one organization's event within seconds while another's receiver holds 40 unanswered", async () => {
    const globex = await orgWithMembers(db, "globex-stuck");
    const acme = await orgWithMembers(db, "acme-healthy");
    const stuckHook = await createWebhook(globex.admin, { url: `${stuck.origin}/hook`, events });
    const healthyHook = await createWebhook(acme.admin, { url: `${healthy.origin}/hook`, events });
    // 40 test events queued for globex's receiver (straight to the outbox: pressing the button is limited now).
    for (let i = 0; i < 40; i++)
      await db.$transaction((tx) =>
        enqueueWebhookEvent(
          tx,
          globex.admin.org,
          TEST_EVENT,
          { webhook: { id: stuckHook.id } },
          stuckHook.id,
        ),
      );

    const stop = startWebhookWorker();
    try {
      // The stuck receiver holds its first attempts: the backlog is in front of everything acme will send.
      await vi.waitFor(() => expect(stuck.received.length).toBeGreaterThan(0), { timeout: 5_000 });
      const queuedAt = Date.now();
      await sendTestEvent(acme.admin, healthyHook.id);
      await vi.waitFor(() => expect(healthy.received).toHaveLength(1), { timeout: 15_000, interval: 50 });
      const took = Date.now() - queuedAt;
      console.info(`[fairness] acme's delivery arrived ${took} ms after it was queued`);
      expect(took).toBeLessThan(5_000);
      expect(JSON.parse(healthy.received[0]!.body)).toMatchObject({ type: TEST_EVENT });

      // Globex's attempts end at the response timeout, never more of them at once than its webhook's share.
      await vi.waitFor(
        async () =>
          expect(
            await db.webhookDelivery.count({
              where: {
                webhookId: stuckHook.id,
                lastError: `No answer within ${RESPONSE_TIMEOUT_MS / 1000} s.`,
              },
            }),
          ).toBeGreaterThan(0),
        { timeout: 15_000, interval: 200 },
      );
      expect(stuck.mostOpen).toBeLessThanOrEqual(MAX_IN_FLIGHT_PER_WEBHOOK);
    } finally {
      // Hung up on: the attempts in flight fail at once, and the worker stops with nothing left running.
      await stuck.close();
      await stop();
      await db.webhook.delete({ where: { id: stuckHook.id } });
    }
  });

  it("gives up on a receiver that never finishes connecting after the connect timeout, not the response's", async () => {
    const { admin } = await orgWithMembers(db, "mute");
    const port = (tcp.address() as AddressInfo).port;
    const hook = await createWebhook(admin, { url: `https://127.0.0.1:${port}/hook`, events });
    await sendTestEvent(admin, hook.id);
    const started = Date.now();
    expect(await deliverDue()).toBe(1);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 100);
    expect(took).toBeLessThan(CONNECT_TIMEOUT_MS + 2_000);
    const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
    expect(delivery).toMatchObject({
      status: "PENDING",
      attempts: 1,
      lastError: `Could not connect within ${CONNECT_TIMEOUT_MS / 1000} s.`,
    });
    expect(mute.length).toBeGreaterThan(0);
  });
});
