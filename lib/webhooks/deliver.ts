import "server-only";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { rootCertificates } from "node:tls";
import { db } from "@/lib/db";
import type { Webhook } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { decryptSecret } from "@/lib/keys/encryption";
import { DestinationRefused, parseAllowList, resolveTarget, type AllowList, type Target } from "./address";

/**
 * Sends the outbox's due deliveries (lib/webhooks/outbox.ts): a signed POST each, retried with back-off.
 * `deliverDue` is one pass; lib/webhooks/worker.ts runs it every few seconds in the console's process, and tests
 * call it directly with the time they want it to be.
 */

/** After attempt n fails, the next comes RETRY_DELAYS_MS[n - 1] later (±10 %); after the last, it has failed. */
export const RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
const TIMEOUT_MS = 10_000;
/** How long a claimed delivery is left alone by other senders: longer than an attempt can take. */
const LEASE_MS = 60_000;
const BATCH = 20;
const MAX_ERROR = 500;
const MAX_EXCERPT = 200;

/** Standard Webhooks' signature: base64 HMAC-SHA256, keyed by the secret's bytes, of "{id}.{timestamp}.{body}". */
export function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

let allowList: AllowList | undefined;

/** WEBHOOK_ALLOWED_HOSTS, parsed once. */
export function allowedDestinations(): AllowList {
  return (allowList ??= parseAllowList(env.WEBHOOK_ALLOWED_HOSTS));
}

type Outcome = { ok: boolean; statusCode: number | null; error: string | null };

/**
 * One pass: claims up to BATCH due deliveries and sends them. A claim moves `nextAttemptAt` forward only if it
 * is still the value read (compare-and-set), so two processes or instances never send the same attempt; one
 * that dies mid-send leaves the claim to expire, and the attempt is made again (receivers dedupe on Webhook-Id).
 * Returns how many it sent.
 */
export async function deliverDue(now = new Date()): Promise<number> {
  const due = await db.webhookDelivery.findMany({
    // A paused webhook's deliveries wait, unsent, until it is resumed.
    where: { status: "PENDING", nextAttemptAt: { lte: now }, webhook: { disabledAt: null } },
    orderBy: { nextAttemptAt: "asc" },
    take: BATCH,
    select: { id: true, nextAttemptAt: true },
  });
  const lease = new Date(now.getTime() + LEASE_MS);
  const sent = await Promise.all(
    due.map(async ({ id, nextAttemptAt }) => {
      const { count } = await db.webhookDelivery.updateMany({
        where: { id, status: "PENDING", nextAttemptAt },
        data: { nextAttemptAt: lease },
      });
      if (count === 0) return false;
      await attempt(id, lease, now);
      return true;
    }),
  );
  return sent.filter(Boolean).length;
}

async function attempt(id: string, lease: Date, now: Date) {
  const delivery = await db.webhookDelivery.findUnique({ where: { id }, include: { webhook: true } });
  if (!delivery) return; // its webhook was deleted meanwhile
  if (delivery.webhook.disabledAt) {
    // Paused between the read and the claim: hand the claim back, to be sent once resumed.
    await db.webhookDelivery.updateMany({
      where: { id, nextAttemptAt: lease },
      data: { nextAttemptAt: now },
    });
    return;
  }
  // Whatever goes wrong is this attempt's failure, in the log: never a claim left to expire over and over.
  const outcome: Outcome = await send(delivery.webhook, delivery.eventId, delivery.payload).catch(
    (error: unknown): Outcome => ({ ok: false, statusCode: null, error: (error as Error).message }),
  );
  const attempts = delivery.attempts + 1;
  const gaveUp = !outcome.ok && attempts >= MAX_ATTEMPTS;
  await db.webhookDelivery.updateMany({
    where: { id, nextAttemptAt: lease },
    data: {
      attempts,
      status: outcome.ok ? "DELIVERED" : gaveUp ? "FAILED" : "PENDING",
      nextAttemptAt: outcome.ok || gaveUp ? null : new Date(now.getTime() + retryDelay(attempts)),
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error?.slice(0, MAX_ERROR) ?? null,
      deliveredAt: outcome.ok ? new Date() : null,
    },
  });
}

/** The wait after failed attempt `n`, with ±10 % jitter so that retries to one receiver do not arrive as one. */
export function retryDelay(n: number, random = Math.random()): number {
  const base = RETRY_DELAYS_MS[Math.min(n, RETRY_DELAYS_MS.length) - 1]!;
  return Math.round(base * (0.9 + 0.2 * random));
}

/** The secrets a delivery is signed with now: the current one, and a rotated-out one during its overlap. */
function signingSecrets(
  webhook: Pick<Webhook, "secretEncrypted" | "previousSecretEncrypted" | "previousSecretUntil">,
) {
  const overlap =
    webhook.previousSecretEncrypted &&
    webhook.previousSecretUntil &&
    webhook.previousSecretUntil > new Date();
  return [webhook.secretEncrypted, ...(overlap ? [webhook.previousSecretEncrypted!] : [])].map(decryptSecret);
}

async function send(
  webhook: Pick<Webhook, "url" | "secretEncrypted" | "previousSecretEncrypted" | "previousSecretUntil">,
  eventId: string,
  body: string,
): Promise<Outcome> {
  const url = new URL(webhook.url);
  let target: Target;
  try {
    target = await resolveTarget(url, allowedDestinations());
  } catch (error) {
    const message = (error as Error).message;
    return {
      ok: false,
      statusCode: null,
      error: error instanceof DestinationRefused ? `Refused: ${message}` : `DNS lookup failed: ${message}`,
    };
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    "Content-Type": "application/json",
    "User-Agent": "statement-console-webhooks/1",
    "Webhook-Id": eventId,
    "Webhook-Timestamp": String(timestamp),
    // Space-separated signatures, one per secret in use (Standard Webhooks): a receiver accepts any it can verify.
    "Webhook-Signature": signingSecrets(webhook)
      .map((secret) => webhookSignature(secret, eventId, timestamp, body))
      .join(" "),
  };
  try {
    const { status, excerpt } = await post(url, target, headers, body);
    if (status >= 200 && status < 300) return { ok: true, statusCode: status, error: null };
    const why = status >= 300 && status < 400 ? "redirects are not followed" : excerpt;
    return { ok: false, statusCode: status, error: `HTTP ${status}${why ? `: ${why}` : ""}` };
  } catch (error) {
    return { ok: false, statusCode: null, error: (error as Error).message || String(error) };
  }
}

/** Extra CAs to trust (WEBHOOK_CA_FILE), read at each send so a file written after start-up is seen. */
function certificateAuthorities(): string[] | undefined {
  return env.WEBHOOK_CA_FILE ? [...rootCertificates, readFileSync(env.WEBHOOK_CA_FILE, "utf8")] : undefined;
}

/**
 * POSTs `body` to `url` at the checked `target` address (the host name still used for TLS and Host), within
 * TIMEOUT_MS, reading no more of the answer than a short excerpt.
 */
function post(
  url: URL,
  target: Target,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; excerpt: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        agent: false,
        ca: certificateAuthorities(),
        // Pinned: the connection goes to the address resolveTarget checked, not to a second DNS answer.
        lookup: (_host, options, callback) =>
          (options as { all?: boolean }).all
            ? (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [target])
            : callback(null, target.address, target.family),
      },
      (res) => {
        let excerpt = "";
        const done = () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, excerpt: excerpt.replace(/\s+/g, " ").trim() });
        };
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          excerpt += chunk;
          if (excerpt.length >= MAX_EXCERPT) {
            excerpt = excerpt.slice(0, MAX_EXCERPT);
            res.destroy();
          }
        });
        res.once("end", done);
        res.once("close", done);
        res.once("error", done);
      },
    );
    const timer = setTimeout(
      () => req.destroy(new Error(`No answer within ${TIMEOUT_MS / 1000} s.`)),
      TIMEOUT_MS,
    );
    req.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}
