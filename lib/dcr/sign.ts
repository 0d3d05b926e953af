import { sign, type KeyObject } from "node:crypto";

const b64url = (json: unknown) => Buffer.from(JSON.stringify(json)).toString("base64url");

/**
 * Signs an RS256 JWT with node:crypto on libuv's thread pool: the ~0.4 ms of RSA work per access token runs
 * off the event loop, so one process signs on every core while it serves HTTP. (jose signs on the calling
 * thread; it stays the library for every JWT that is verified or that the dashboard touches.)
 */
export function signRs256(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject) {
  const input = `${b64url({ alg: "RS256", ...header })}.${b64url(payload)}`;
  return new Promise<string>((resolve, reject) =>
    sign("sha256", Buffer.from(input), key, (error, signature) =>
      error ? reject(error) : resolve(`${input}.${signature.toString("base64url")}`),
    ),
  );
}
