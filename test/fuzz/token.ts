import { randomUUID } from "node:crypto";
import { hostileString, withInvalidUtf8, type Rng } from "./random";
import {
  headerSafe,
  JSON_TYPE,
  FORM_TYPE,
  b64,
  noiseHeaders,
  type ClientContext,
  type FuzzRequest,
  type Param,
} from "./requests";

/**
 * Token requests (docs/client-api.md §2 and §5, both faces): exactly one defect each — two could cancel out — so any
 * 2xx is a finding.
 */

export function tokenRequest(rng: Rng, ctx: ClientContext): FuzzRequest {
  const face = rng.pick(["adobe", "rfc"] as const);
  let params: Param[] = [
    ["grant_type", "client_credentials"],
    ["client_id", ctx.client.id],
    ["client_secret", ctx.client.secret],
  ];
  const query: Param[] = [];
  const headers: Record<string, string> = { "content-type": FORM_TYPE };
  let raw: string | Buffer | undefined;
  const set = (name: string, value: string) => (params = params.map(([n, v]) => [n, n === name ? value : v]));
  const basic = (id: string, secret: string) => `Basic ${b64(`${id}:${secret}`)}`;
  const defects: [number, () => string][] = [
    [
      3,
      () => (
        set("client_secret", rng.chance(0.5) ? rng.text(43) : hostileString(rng) || "x"),
        "wrong-secret"
      ),
    ],
    [
      3,
      () => (
        set(
          "client_id",
          rng.pick([
            randomUUID(),
            hostileString(rng) || "x",
            ctx.client.id.toUpperCase().replace(/.$/, "0"),
            `${ctx.client.id} `,
          ]),
        ),
        "unknown-client"
      ),
    ],
    [
      2,
      () => {
        const name = rng.pick(["grant_type", "client_id", "client_secret"]);
        params = params.filter(([n]) => n !== name);
        return `missing:${name}`;
      },
    ],
    [
      2,
      () => (
        set(
          "grant_type",
          rng.pick([
            "password",
            "authorization_code",
            "refresh_token",
            "client_credentials ",
            "CLIENT_CREDENTIALS",
            "",
            hostileString(rng) || "x",
          ]),
        ),
        "grant-type"
      ),
    ],
    [
      2,
      () => {
        const param = rng.pick(params);
        if (rng.chance(0.5)) query.push([param[0], rng.chance(0.5) ? param[1] : "other"]);
        else params.push([param[0], param[1]]);
        return `repeated:${param[0]}`;
      },
    ],
    [2, () => ((headers.authorization = basic(ctx.client.id, ctx.client.secret)), "basic-and-body")],
    [
      2,
      () => {
        headers.authorization = rng.pick([
          "Basic",
          "Basic !!!",
          `Basic ${b64("no-colon")}`,
          "Basic YQ",
          `Bearer ${ctx.accessToken}`,
          `Basic ${headerSafe(hostileString(rng))}`,
          "Digest x",
        ]);
        params = params.filter(([n]) => n === "grant_type");
        return "malformed-basic";
      },
    ],
    [
      2,
      () => {
        headers["content-type"] = rng.pick([
          JSON_TYPE,
          "text/plain",
          "multipart/form-data; boundary=x",
          "application/x-www-form-urlencodedx",
          "form",
        ]);
        if (headers["content-type"] === JSON_TYPE) raw = JSON.stringify(Object.fromEntries(params));
        return `content-type:${headers["content-type"]}`;
      },
    ],
    [
      1,
      () => (
        rng.chance(0.5) ? params.push([`x${"n".repeat(70)}`, "v"]) : set("client_secret", "s".repeat(4_097)),
        "too-long"
      ),
    ],
    [1, () => (params.push(["padding", "x".repeat(rng.between(65_537, 100_000))]), "huge-body")],
    [1, () => ((raw = withInvalidUtf8(rng, new URLSearchParams(params).toString())), "invalid-utf8-body")],
  ];
  // One defect: two could cancel out (a parameter repeated, then removed).
  const label = rng.weighted(defects)();
  // Basic credentials instead of body ones, when the defect left the body's credentials alone.
  if (!headers.authorization && raw === undefined && rng.chance(0.3) && label.startsWith("wrong-secret")) {
    const id = params.find(([n]) => n === "client_id")?.[1] ?? "";
    const secret = params.find(([n]) => n === "client_secret")?.[1] ?? "";
    headers.authorization = basic(
      encodeURIComponent(id.toWellFormed()),
      encodeURIComponent(secret.toWellFormed()),
    );
    params = params.filter(([n]) => n === "grant_type");
  }
  if (rng.chance(0.1))
    params.push([
      rng.pick(["scope", "__proto__", "constructor", "audience"]),
      headerSafe(hostileString(rng)),
    ]);
  if (rng.chance(0.1) && headers["content-type"] === FORM_TYPE)
    headers["content-type"] = `${FORM_TYPE}; charset=${rng.pick(["utf-8", "latin1", "utf-16"])}`;
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
