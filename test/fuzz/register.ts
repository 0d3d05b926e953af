import { hostileKey, hostileString, hostileValue, nested, withInvalidUtf8, type Rng } from "./random";
import {
  headerSafe,
  JSON_TYPE,
  FORM_TYPE,
  b64,
  noiseHeaders,
  type ClientContext,
  type FuzzRequest,
} from "./requests";
import { hostileStatement } from "./statements";

/**
 * Registration requests (docs/client-api.md §1, both faces): each carries at least one defect — a hostile statement,
 * a wrong type, content type, Accept or charset, malformed or non-object JSON, a repeated or unsupported
 * parameter, a redirect URI outside the application's domains, a bad X-Device-Info or simulation ticket, a
 * huge or non-UTF-8 body — so any 2xx is a finding.
 */
type RegisterDraft = {
  fields: Record<string, unknown>;
  headers: Record<string, string>;
  raw?: string | Buffer;
  label: string;
};

export function registerRequest(rng: Rng, ctx: ClientContext): FuzzRequest {
  const face = rng.pick(["adobe", "rfc"] as const);
  const draft: RegisterDraft = {
    fields: { software_statement: ctx.keys.stored },
    headers: { "content-type": JSON_TYPE },
    label: "",
  };
  const statementText = () => JSON.stringify(draft.fields.software_statement);
  const defects: [number, () => string][] = [
    [
      12,
      () => {
        const s = hostileStatement(rng, ctx.keys);
        draft.fields.software_statement = s.jwt;
        return `statement:${s.kind}`;
      },
    ],
    [
      2,
      () => {
        if (rng.chance(0.3)) delete draft.fields.software_statement;
        else
          draft.fields.software_statement = rng.chance(0.3)
            ? ""
            : rng.pick([0, true, null, [ctx.keys.stored], { jwt: ctx.keys.stored }]);
        return "statement-type";
      },
    ],
    [
      2,
      () => {
        draft.headers["content-type"] = rng.pick([
          "text/plain",
          FORM_TYPE,
          "application/json; charset=latin1",
          "application/json; charset=utf-16",
          "application/jsonp",
          "application/json, text/html",
          "multipart/form-data; boundary=x",
          "application/json; charset=utf-8; q=1",
          'application/json;charset="utf-16"',
          "APPLICATION/XML",
          "application/json;;",
          "json",
        ]);
        return `content-type:${draft.headers["content-type"]}`;
      },
    ],
    [
      1,
      () => {
        draft.headers.accept = rng.pick([
          "text/html",
          "application/json;q=0",
          "image/*",
          "application/xml, text/plain",
          "application/json;q=0.0",
        ]);
        return `accept:${draft.headers.accept}`;
      },
    ],
    [
      2,
      () => {
        const text = JSON.stringify(draft.fields);
        draft.raw = rng.pick([
          text.slice(0, rng.int(text.length)),
          text.replace(/}$/, ",}"),
          text.replaceAll('"', "'"),
          `/* c */${text}`,
          text.replace(/}$/, ',"n":NaN}'),
          "",
          "undefined",
          `${text}${text}`,
          `${text} trailing`,
        ]);
        return "malformed-json";
      },
    ],
    [
      1,
      () => {
        draft.raw = JSON.stringify(rng.pick([[draft.fields], ctx.keys.stored, 42, null, true]));
        return "not-an-object";
      },
    ],
    [
      2,
      () => {
        draft.raw = rng.pick([
          `{"software_statement":${statementText()},"software_statement":${statementText()}}`,
          `{"software_statement":"x","software\\u005fstatement":${statementText()}}`,
          `{"software\\u005Fstatement":${statementText()},"software_statement":"x"}`,
          `{"software_statement":${statementText()},"redirect_uri":"https://tv.acme.test/","redirect_uri":"https://evil.example/"}`,
        ]);
        return "duplicate-key";
      },
    ],
    [
      2,
      () => {
        if (face === "adobe") {
          const key = rng.pick(["client_name", "grant_types", "redirect_uris", "scope", hostileKey(rng)]);
          if (key === "__proto__")
            draft.raw = `{"software_statement":${statementText()},"__proto__":{"polluted":true}}`;
          else draft.fields[key || "k"] = hostileValue(rng);
          return `unsupported:${key}`;
        }
        const which = rng.int(3);
        if (which === 0)
          draft.fields.grant_types = rng.pick([
            ["authorization_code"],
            "client_credentials",
            [hostileValue(rng)],
            { 0: "client_credentials" },
          ]);
        else if (which === 1)
          draft.fields.token_endpoint_auth_method = rng.pick([
            "none",
            "private_key_jwt",
            "",
            0,
            hostileString(rng) || "x",
          ]);
        else
          draft.fields.redirect_uris = rng.pick([
            "https://tv.acme.test/",
            ["https://tv.acme.test/a", "https://tv.acme.test/b"],
            [1],
            [null],
            {},
          ]);
        return "rfc-metadata";
      },
    ],
    [
      2,
      () => {
        draft.fields.redirect_uri = rng.pick<unknown>([
          "https://evil.example/cb",
          "https://tv.acme.test.evil.example/",
          "https://tv.acme.test@evil.example/",
          "https://user:pw@tv.acme.test/",
          "javascript:alert(1)",
          "not a uri",
          "https://evil.example/#tv.acme.test",
          "//tv.acme.test/",
          `https://tv.acme.test/${"x".repeat(2_050)}`,
          42,
          ["https://tv.acme.test/"],
          { href: "https://tv.acme.test/" },
          "https://xn--tv-acme-test.evil/",
        ]);
        return "redirect-uri";
      },
    ],
    [
      2,
      () => {
        draft.headers["x-device-info"] = rng.pick([
          "%%% not base64 %%%",
          "bW9kZWw=dHY=",
          b64("model=tv"),
          b64('["Apple TV"]'),
          b64("null"),
          b64('"str"'),
          b64(JSON.stringify(Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, i])))),
          b64(JSON.stringify({ model: "x".repeat(600) })),
          b64(JSON.stringify({ model: { nested: true } })),
          b64(JSON.stringify({ ["k".repeat(70)]: 1 })),
          b64(JSON.stringify(nested(200))),
          "A".repeat(9_000),
          "====",
          "a b c",
          b64(JSON.stringify({ model: [1] })),
          `${b64('{"model":"tv"}')}!`,
        ]);
        return "x-device-info";
      },
    ],
    [
      1,
      () => {
        draft.headers["x-simulation-ticket"] = headerSafe(
          rng.pick(["a.b.c", rng.text(rng.between(1, 200)), hostileString(rng) || "t", "v1.x.y"]),
        );
        return "simulation-ticket";
      },
    ],
    [
      1,
      () => {
        draft.fields.padding = "x".repeat(rng.between(65_537, 120_000));
        draft.fields.redirect_uri = `https://tv.acme.test/${"y".repeat(70_000)}`;
        return "huge-body";
      },
    ],
    [
      1,
      () => {
        draft.raw = withInvalidUtf8(rng, JSON.stringify(draft.fields));
        return "invalid-utf8-body";
      },
    ],
  ];
  draft.label = rng.weighted(defects)();
  if (rng.chance(0.1)) draft.label += `+${rng.weighted(defects)()}`;
  // Noise that is harmless on its own: deep or prototype-named extra members (the RFC face ignores unknown metadata).
  if (face === "rfc" && draft.raw === undefined && rng.chance(0.2))
    draft.fields[rng.pick(["x_deep", "constructor", "prototype"])] = rng.chance(0.5)
      ? nested(500)
      : { polluted: true };
  if (rng.chance(0.1))
    draft.headers["content-type"] =
      draft.headers["content-type"] === JSON_TYPE
        ? rng.pick(["application/json;charset=utf-8", 'Application/JSON; charset="UTF-8"'])
        : draft.headers["content-type"]!;
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
