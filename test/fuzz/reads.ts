import { createHmac, randomUUID } from "node:crypto";
import { hostileKey, hostileString, segment, withInvalidUtf8, type Rng } from "./random";
import {
  headerSafe,
  FORM_TYPE,
  JSON_TYPE,
  b64,
  noiseHeaders,
  type ClientContext,
  type FuzzRequest,
  type Param,
} from "./requests";

/**
 * The client-facing endpoints that store nothing — the protected resource, introspection, discovery, health —
 * with forged tokens and credentials, malformed paths and odd headers: 200 is fine, as long as the shape holds.
 */
/** A bearer token that must not be honoured, or sometimes the real one (a read: 200 is fine). */
function accessTokenVariant(rng: Rng, ctx: ClientContext): string {
  const [header, payload, signature] = ctx.accessToken.split(".") as [string, string, string];
  const json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
  return rng.pick<() => string>([
    () => ctx.accessToken,
    () => `${json({ alg: "none", typ: "JWT" })}.${payload}.`,
    () => {
      const h = json({ alg: "HS256", typ: "JWT", kid: ctx.keys.serviceKid });
      const mac = createHmac("sha256", JSON.stringify(ctx.keys.servicePublicJwk))
        .update(`${h}.${payload}`)
        .digest("base64url");
      return `${h}.${payload}.${mac}`;
    },
    () =>
      `${json({ alg: "RS256", kid: ctx.keys.serviceKid, jwk: ctx.keys.attacker.publicJwk })}.${payload}.${signature}`,
    () => `${header}.${json({ ...claims, exp: (claims.exp as number) + 86_400 })}.${signature}`,
    () => `${header}.${json({ ...claims, sub: randomUUID() })}.${signature}`,
    () => `${header}.${payload}`,
    () => `${ctx.accessToken}.${signature}`,
    () => ctx.accessToken.slice(0, -3) + (ctx.accessToken.endsWith("AAA") ? "BBB" : "AAA"),
    () => "x".repeat(rng.pick([8_193, 12_000])),
    () => headerSafe(hostileString(rng)).replace(/\s/g, "") || "x",
  ])();
}

export function configurationRequest(rng: Rng, ctx: ClientContext): FuzzRequest {
  const slug = rng.weighted<() => string>([
    [16, () => ctx.org],
    [
      3,
      () =>
        segment(
          rng.pick([
            "globex",
            "ACME",
            "acme ",
            "__proto__",
            "constructor",
            "🙂",
            "a".repeat(300),
            rng.text(8),
          ]),
        ),
    ],
    // Not valid percent-encoded UTF-8: an invalid byte, an encoded surrogate, a lone or bad escape.
    [1, () => rng.pick(["%FF", "%ED%A0%80", "%", "%zz", "acme%C0%AF", "%E2%82"])],
  ])();
  const scheme = rng.pick(["Bearer ", "Bearer ", "Bearer ", "bearer  ", "Basic ", "", "Bearer\t"]);
  const headers: Record<string, string> = { ...noiseHeaders(rng) };
  if (rng.chance(0.9)) headers.authorization = `${scheme}${accessTokenVariant(rng, ctx)}`;
  return {
    label: `configuration/${slug.slice(0, 20)}`,
    method: "GET",
    path: `/api/v2/${slug}/configuration`,
    headers,
    shape: "enhanced",
    mustReject: false,
    throttled: true,
  };
}

export function introspectRequest(rng: Rng, ctx: ClientContext): FuzzRequest {
  const params: Param[] = [];
  const headers: Record<string, string> = { "content-type": FORM_TYPE, ...noiseHeaders(rng) };
  const auth = rng.int(4);
  if (auth === 0) headers.authorization = `Basic ${b64(`${ctx.client.id}:${ctx.client.secret}`)}`;
  else if (auth === 1)
    params.push(
      ["client_id", ctx.client.id],
      ["client_secret", rng.chance(0.7) ? ctx.client.secret : rng.text(10)],
    );
  else if (auth === 2)
    headers.authorization = rng.pick(["Basic !!", `Basic ${b64(`${randomUUID()}:x`)}`, "Bearer x"]);
  if (rng.chance(0.9)) params.push(["token", accessTokenVariant(rng, ctx)]);
  if (rng.chance(0.1)) params.push(["token", "again"]);
  if (rng.chance(0.1)) params.push(["token_type_hint", headerSafe(hostileString(rng))]);
  if (rng.chance(0.1)) headers["content-type"] = rng.pick([JSON_TYPE, "text/plain"]);
  const body = rng.chance(0.05)
    ? withInvalidUtf8(rng, new URLSearchParams(params).toString())
    : new URLSearchParams(params).toString();
  return {
    label: `introspect/auth${auth}`,
    method: "POST",
    path: "/oauth2/introspect",
    headers,
    body,
    shape: "introspection",
    mustReject: false,
    throttled: true,
  };
}

export function wellKnownRequest(rng: Rng): FuzzRequest {
  const path = rng.pick(["/.well-known/jwks.json", "/.well-known/oauth-authorization-server", "/api/health"]);
  const query = rng.chance(0.5)
    ? `?${new URLSearchParams([
        [hostileKey(rng) || "k", hostileString(rng)],
        ["kid", "x"],
        ["kid", "y"],
      ]).toString()}`
    : "";
  const headers = {
    ...noiseHeaders(rng),
    ...(rng.chance(0.3) && { accept: rng.pick(["text/html", "application/xml", "*/*;q=0"]) }),
    ...(rng.chance(0.2) && { "if-none-match": headerSafe(hostileString(rng)) }),
    ...(rng.chance(0.1) && { range: "bytes=999999-" }),
  };
  return {
    label: `well-known${path}`,
    method: "GET",
    path: path + query,
    headers,
    shape: "discovery",
    mustReject: false,
    throttled: false,
  };
}

/**
 * An application's statement URL (GET /o/client/statement/{applicationId}) with hostile ids and validators: a
 * 404 in the OAuth shape for whatever names no published statement, never anything else but a 200.
 */
export function statementUrlRequest(rng: Rng): FuzzRequest {
  const id = rng.pick<() => string>([
    () => randomUUID(),
    () => segment(hostileString(rng)),
    () => rng.pick(["%FF", "%ED%A0%80", "%", "%zz", "..%2F..%2Fetc", "a".repeat(300), "__proto__"]),
    () => "",
  ])();
  const headers = {
    ...noiseHeaders(rng),
    ...(rng.chance(0.3) && { "if-none-match": headerSafe(hostileString(rng)) || '"x"' }),
    ...(rng.chance(0.2) && { accept: rng.pick(["application/jwt", "text/html", "*/*;q=0"]) }),
  };
  return {
    label: "statement-url",
    method: "GET",
    path: `/o/client/statement/${id}${rng.chance(0.2) ? `?${hostileKey(rng) || "k"}=1` : ""}`,
    headers,
    shape: "oauth",
    mustReject: false,
    throttled: true,
  };
}
