import "server-only";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { rootCertificates, type TLSSocket } from "node:tls";
import type { Webhook } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { decryptSecret } from "@/lib/keys/encryption";
import { DestinationRefused, parseAllowList, resolveTarget, type AllowList, type Target } from "./address";

/**
 * One signed POST to a webhook's receiver, and what came of it (lib/webhooks/deliver.ts records it). No
 * database here: the sender runs many of these at once (lib/webhooks/sender.ts).
 */

/**
 * A receiver must accept the connection (TCP and TLS) within CONNECT_TIMEOUT_MS, and answer within
 * RESPONSE_TIMEOUT_MS of the attempt's start. The connect bound is the shorter one: a host that is down or
 * filtered is known in seconds, without holding one of the sender's slots for the whole response time.
 */
export const CONNECT_TIMEOUT_MS = 3_000;
export const RESPONSE_TIMEOUT_MS = 10_000;
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

export type Outcome = { ok: boolean; statusCode: number | null; error: string | null };

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

export async function send(
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
 * POSTs `body` to `url` at the checked `target` address (the host name still used for TLS and Host), connected
 * within CONNECT_TIMEOUT_MS and answered within RESPONSE_TIMEOUT_MS, reading no more of the answer than a short
 * excerpt.
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
          clearTimers();
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
    const connectTimer = setTimeout(
      () => req.destroy(new Error(`Could not connect within ${CONNECT_TIMEOUT_MS / 1000} s.`)),
      CONNECT_TIMEOUT_MS,
    );
    const responseTimer = setTimeout(
      () => req.destroy(new Error(`No answer within ${RESPONSE_TIMEOUT_MS / 1000} s.`)),
      RESPONSE_TIMEOUT_MS,
    );
    const clearTimers = () => {
      clearTimeout(connectTimer);
      clearTimeout(responseTimer);
    };
    // Connected once TLS is up: a receiver that accepts TCP and never finishes the handshake is not connected.
    req.once("socket", (socket) =>
      (socket as TLSSocket).once("secureConnect", () => clearTimeout(connectTimer)),
    );
    req.once("error", (error) => {
      clearTimers();
      reject(error);
    });
    req.end(body);
  });
}
