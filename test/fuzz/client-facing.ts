import { createHmac, randomUUID } from "node:crypto";
import { hostileKey, hostileString, hostileValue, nested, segment, withInvalidUtf8, type Rng } from "./random";
import { headerSafe, noiseHeaders, type FuzzRequest } from "./requests";
import { hostileStatement, type StatementKeys } from "./statements";

/**
 * Inputs for the client-facing endpoints (DCR-API.md). Every registration and token request carries at least
 * one defect, so any 2xx is a finding; the read-only endpoints may answer 200 as long as the shape holds.
 */
export type ClientContext = {
  keys: StatementKeys;
  client: { id: string; secret: string };
  accessToken: string;
  org: string;
};

const b64 = (text: string) => Buffer.from(text).toString("base64");
const JSON_TYPE = "application/json";
const FORM_TYPE = "application/x-www-form-urlencoded";

type RegisterDraft = { fields: Record<string, unknown>; headers: Record<string, string>; raw?: string | Buffer; label: string };

export function registerRequest(rng: Rng, ctx: ClientContext): FuzzRequest {
  const face = rng.pick(["adobe", "rfc"] as const);
  const draft: RegisterDraft = { fields: { software_statement: ctx.keys.stored }, headers: { "content-type": JSON_TYPE }, label: "" };
  const statementText = () => JSON.stringify(draft.fields.software_statement);
  const defects: [number, () => string][] = [
    [12, () => {
      const s = hostileStatement(rng, ctx.keys);
      draft.fields.software_statement = s.jwt;
      return `statement:${s.kind}`;
    }],
    [2, () => {
      if (rng.chance(0.3)) delete draft.fields.software_statement;
      else draft.fields.software_statement = rng.chance(0.3) ? "" : rng.pick([0, true, null, [ctx.keys.stored], { jwt: ctx.keys.stored }]);
      return "statement-type";
    }],
    [2, () => {
      draft.headers["content-type"] = rng.pick(["text/plain", FORM_TYPE, "application/json; charset=latin1", "application/json; charset=utf-16",
        "application/jsonp", "application/json, text/html", "multipart/form-data; boundary=x", "application/json; charset=utf-8; q=1",
        'application/json;charset="utf-16"', "APPLICATION/XML", "application/json;;", "json"]);
      return `content-type:${draft.headers["content-type"]}`;
    }],
    [1, () => {
      draft.headers.accept = rng.pick(["text/html", "application/json;q=0", "image/*", "application/xml, text/plain", "application/json;q=0.0"]);
      return `accept:${draft.headers.accept}`;
    }],
    [2, () => {
      const text = JSON.stringify(draft.fields);
      draft.raw = rng.pick([text.slice(0, rng.int(text.length)), text.replace(/}$/, ",}"), text.replaceAll('"', "'"), `/* c */${text}`, text.replace(/}$/, ',"n":NaN}'), "", "undefined", `${text}${text}`, `${text} trailing`]);
      return "malformed-json";
    }],
    [1, () => {
      draft.raw = JSON.stringify(rng.pick([[draft.fields], ctx.keys.stored, 42, null, true]));
      return "not-an-object";
    }],
    [2, () => {
      draft.raw = rng.pick([
        `{"software_statement":${statementText()},"software_statement":${statementText()}}`,
        `{"software_statement":"x","software\\u005fstatement":${statementText()}}`,
        `{"software\\u005Fstatement":${statementText()},"software_statement":"x"}`,
        `{"software_statement":${statementText()},"redirect_uri":"https://tv.acme.test/","redirect_uri":"https://evil.example/"}`,
      ]);
      return "duplicate-key";
    }],
    [2, () => {
      if (face === "adobe") {
        const key = rng.pick(["client_name", "grant_types", "redirect_uris", "scope", hostileKey(rng)]);
        if (key === "__proto__") draft.raw = `{"software_statement":${statementText()},"__proto__":{"polluted":true}}`;
        else draft.fields[key || "k"] = hostileValue(rng);
        return `unsupported:${key}`;
      }
      const which = rng.int(3);
      if (which === 0) draft.fields.grant_types = rng.pick([["authorization_code"], "client_credentials", [hostileValue(rng)], { 0: "client_credentials" }]);
      else if (which === 1) draft.fields.token_endpoint_auth_method = rng.pick(["none", "private_key_jwt", "", 0, hostileString(rng) || "x"]);
      else draft.fields.redirect_uris = rng.pick(["https://tv.acme.test/", ["https://tv.acme.test/a", "https://tv.acme.test/b"], [1], [null], {}]);
      return "rfc-metadata";
    }],
    [2, () => {
      draft.fields.redirect_uri = rng.pick<unknown>(["https://evil.example/cb", "https://tv.acme.test.evil.example/", "https://tv.acme.test@evil.example/",
        "https://user:pw@tv.acme.test/", "javascript:alert(1)", "not a uri", "https://evil.example/#tv.acme.test", "//tv.acme.test/",
        `https://tv.acme.test/${"x".repeat(2_050)}`, 42, ["https://tv.acme.test/"], { href: "https://tv.acme.test/" }, "https://xn--tv-acme-test.evil/"]);
      return "redirect-uri";
    }],
    [2, () => {
      draft.headers["x-device-info"] = rng.pick([
        "%%% not base64 %%%", "bW9kZWw=dHY=", b64("model=tv"), b64('["Apple TV"]'), b64("null"), b64('"str"'),
        b64(JSON.stringify(Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, i])))),
        b64(JSON.stringify({ model: "x".repeat(600) })), b64(JSON.stringify({ model: { nested: true } })),
        b64(JSON.stringify({ ["k".repeat(70)]: 1 })), b64(JSON.stringify(nested(200))), "A".repeat(9_000), "====", "a b c",
        b64(JSON.stringify({ model: [1] })), `${b64('{"model":"tv"}')}!`,
      ]);
      return "x-device-info";
    }],
    [1, () => {
      draft.headers["x-simulation-ticket"] = headerSafe(rng.pick(["a.b.c", rng.text(rng.between(1, 200)), hostileString(rng) || "t", "v1.x.y"]));
      return "simulation-ticket";
    }],
    [1, () => {
      draft.fields.padding = "x".repeat(rng.between(65_537, 120_000));
      draft.fields.redirect_uri = `https://tv.acme.test/${"y".repeat(70_000)}`;
      return "huge-body";
    }],
    [1, () => {
      draft.raw = withInvalidUtf8(rng, JSON.stringify(draft.fields));
      return "invalid-utf8-body";
    }],
  ];
  draft.label = rng.weighted(defects)();
  if (rng.chance(0.1)) draft.label += `+${rng.weighted(defects)()}`;
  // Noise that is harmless on its own: deep or prototype-named extra members (the RFC face ignores unknown metadata).
  if (face === "rfc" && draft.raw === undefined && rng.chance(0.2)) draft.fields[rng.pick(["x_deep", "constructor", "prototype"])] = rng.chance(0.5) ? nested(500) : { polluted: true };
  if (rng.chance(0.1)) draft.headers["content-type"] = draft.headers["content-type"] === JSON_TYPE ? rng.pick(["application/json;charset=utf-8", 'Application/JSON; charset="UTF-8"']) : draft.headers["content-type"]!;
  return {
    label: `register/${face}/${draft.label}`,
    method: "POST",
    path: face === "adobe" ? "/o/client/register" : "/oauth2/register",
    headers: { ...noiseHeaders(rng), ...draft.headers },
    body: draft.raw ?? JSON.stringify(draft.fields),
    shape: "oauth",
    mustReject: true,
    throttled: true,
  };
}

type Param = [string, string];

export function tokenRequest(rng: Rng, ctx: ClientContext): FuzzRequest {
  const face = rng.pick(["adobe", "rfc"] as const);
  let params: Param[] = [["grant_type", "client_credentials"], ["client_id", ctx.client.id], ["client_secret", ctx.client.secret]];
  const query: Param[] = [];
  const headers: Record<string, string> = { "content-type": FORM_TYPE };
  let raw: string | Buffer | undefined;
  const set = (name: string, value: string) => (params = params.map(([n, v]) => [n, n === name ? value : v]));
  const basic = (id: string, secret: string) => `Basic ${b64(`${id}:${secret}`)}`;
  const defects: [number, () => string][] = [
    [3, () => (set("client_secret", rng.chance(0.5) ? rng.text(43) : hostileString(rng) || "x"), "wrong-secret")],
    [3, () => (set("client_id", rng.pick([randomUUID(), hostileString(rng) || "x", ctx.client.id.toUpperCase().replace(/.$/, "0"), `${ctx.client.id} `])), "unknown-client")],
    [2, () => {
      const name = rng.pick(["grant_type", "client_id", "client_secret"]);
      params = params.filter(([n]) => n !== name);
      return `missing:${name}`;
    }],
    [2, () => (set("grant_type", rng.pick(["password", "authorization_code", "refresh_token", "client_credentials ", "CLIENT_CREDENTIALS", "", hostileString(rng) || "x"])), "grant-type")],
    [2, () => {
      const param = rng.pick(params);
      if (rng.chance(0.5)) query.push([param[0], rng.chance(0.5) ? param[1] : "other"]);
      else params.push([param[0], param[1]]);
      return `repeated:${param[0]}`;
    }],
    [2, () => (headers.authorization = basic(ctx.client.id, ctx.client.secret), "basic-and-body")],
    [2, () => {
      headers.authorization = rng.pick(["Basic", "Basic !!!", `Basic ${b64("no-colon")}`, "Basic YQ", `Bearer ${ctx.accessToken}`, `Basic ${headerSafe(hostileString(rng))}`, "Digest x"]);
      params = params.filter(([n]) => n === "grant_type");
      return "malformed-basic";
    }],
    [2, () => {
      headers["content-type"] = rng.pick([JSON_TYPE, "text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencodedx", "form"]);
      if (headers["content-type"] === JSON_TYPE) raw = JSON.stringify(Object.fromEntries(params));
      return `content-type:${headers["content-type"]}`;
    }],
    [1, () => (rng.chance(0.5) ? params.push([`x${"n".repeat(70)}`, "v"]) : set("client_secret", "s".repeat(4_097)), "too-long")],
    [1, () => (params.push(["padding", "x".repeat(rng.between(65_537, 100_000))]), "huge-body")],
    [1, () => (raw = withInvalidUtf8(rng, new URLSearchParams(params).toString()), "invalid-utf8-body")],
  ];
  // One defect: two could cancel out (a parameter repeated, then removed).
  const label = rng.weighted(defects)();
  // Basic credentials instead of body ones, when the defect left the body's credentials alone.
  if (!headers.authorization && raw === undefined && rng.chance(0.3) && label.startsWith("wrong-secret")) {
    const id = params.find(([n]) => n === "client_id")?.[1] ?? "";
    const secret = params.find(([n]) => n === "client_secret")?.[1] ?? "";
    headers.authorization = basic(encodeURIComponent(id.toWellFormed()), encodeURIComponent(secret.toWellFormed()));
    params = params.filter(([n]) => n === "grant_type");
  }
  if (rng.chance(0.1)) params.push([rng.pick(["scope", "__proto__", "constructor", "audience"]), headerSafe(hostileString(rng))]);
  if (rng.chance(0.1) && headers["content-type"] === FORM_TYPE) headers["content-type"] = `${FORM_TYPE}; charset=${rng.pick(["utf-8", "latin1", "utf-16"])}`;
  const qs = query.length ? `?${new URLSearchParams(query).toString()}` : "";
  return {
    label: `token/${face}/${label}`,
    method: "POST",
    path: `${face === "adobe" ? "/o/client/token" : "/oauth2/token"}${qs}`,
    headers: { ...noiseHeaders(rng), ...headers },
    body: raw ?? new URLSearchParams(params).toString(),
    shape: "oauth",
    mustReject: true,
    throttled: true,
  };
}

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
      const mac = createHmac("sha256", JSON.stringify(ctx.keys.servicePublicJwk)).update(`${h}.${payload}`).digest("base64url");
      return `${h}.${payload}.${mac}`;
    },
    () => `${json({ alg: "RS256", kid: ctx.keys.serviceKid, jwk: ctx.keys.attacker.publicJwk })}.${payload}.${signature}`,
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
    [3, () => segment(rng.pick(["globex", "ACME", "acme ", "__proto__", "constructor", "🙂", "a".repeat(300), rng.text(8)]))],
    // Not valid percent-encoded UTF-8: an invalid byte, an encoded surrogate, a lone or bad escape.
    [1, () => rng.pick(["%FF", "%ED%A0%80", "%", "%zz", "acme%C0%AF", "%E2%82"])],
  ])();
  const scheme = rng.pick(["Bearer ", "Bearer ", "Bearer ", "bearer  ", "Basic ", "", "Bearer\t"]);
  const headers: Record<string, string> = { ...noiseHeaders(rng) };
  if (rng.chance(0.9)) headers.authorization = `${scheme}${accessTokenVariant(rng, ctx)}`;
  return { label: `configuration/${slug.slice(0, 20)}`, method: "GET", path: `/api/v2/${slug}/configuration`, headers, shape: "enhanced", mustReject: false, throttled: true };
}

export function introspectRequest(rng: Rng, ctx: ClientContext): FuzzRequest {
  const params: Param[] = [];
  const headers: Record<string, string> = { "content-type": FORM_TYPE, ...noiseHeaders(rng) };
  const auth = rng.int(4);
  if (auth === 0) headers.authorization = `Basic ${b64(`${ctx.client.id}:${ctx.client.secret}`)}`;
  else if (auth === 1) params.push(["client_id", ctx.client.id], ["client_secret", rng.chance(0.7) ? ctx.client.secret : rng.text(10)]);
  else if (auth === 2) headers.authorization = rng.pick(["Basic !!", `Basic ${b64(`${randomUUID()}:x`)}`, "Bearer x"]);
  if (rng.chance(0.9)) params.push(["token", accessTokenVariant(rng, ctx)]);
  if (rng.chance(0.1)) params.push(["token", "again"]);
  if (rng.chance(0.1)) params.push(["token_type_hint", headerSafe(hostileString(rng))]);
  if (rng.chance(0.1)) headers["content-type"] = rng.pick([JSON_TYPE, "text/plain"]);
  const body = rng.chance(0.05) ? withInvalidUtf8(rng, new URLSearchParams(params).toString()) : new URLSearchParams(params).toString();
  return { label: `introspect/auth${auth}`, method: "POST", path: "/oauth2/introspect", headers, body, shape: "introspection", mustReject: false, throttled: true };
}

export function wellKnownRequest(rng: Rng): FuzzRequest {
  const path = rng.pick(["/.well-known/jwks.json", "/.well-known/oauth-authorization-server", "/api/health"]);
  const query = rng.chance(0.5) ? `?${new URLSearchParams([[hostileKey(rng) || "k", hostileString(rng)], ["kid", "x"], ["kid", "y"]]).toString()}` : "";
  const headers = { ...noiseHeaders(rng), ...(rng.chance(0.3) && { accept: rng.pick(["text/html", "application/xml", "*/*;q=0"]) }),
    ...(rng.chance(0.2) && { "if-none-match": headerSafe(hostileString(rng)) }), ...(rng.chance(0.1) && { range: "bytes=999999-" }) };
  return { label: `well-known${path}`, method: "GET", path: path + query, headers, shape: "discovery", mustReject: false, throttled: false };
}
