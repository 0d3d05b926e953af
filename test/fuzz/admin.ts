import { generateKeyPairSync } from "node:crypto";
import {
  hostileKey,
  hostileString,
  hostileValue,
  nested,
  segment,
  withInvalidUtf8,
  type Rng,
} from "./random";
import { FIND_KINDS } from "@/lib/find/paths";
import { hostileStatement, type StatementKeys } from "./statements";

/**
 * Inputs for the admin API's mutations and the dashboard's server actions: a valid body with at least one
 * field made invalid (wrong type, missing, over-long, out of its set), plus harmless noise on top (extra and
 * prototype-named members, unicode in free text). Every one must be refused and change nothing.
 */
export type AdminContext = {
  keys: StatementKeys;
  org: string;
  applicationId: string;
  statementId: string;
  viewerUserId: string;
};

type Fields = Record<string, unknown>;
type Field = { valid: () => unknown; invalid: (rng: Rng) => unknown; required: boolean };

/** A usable public key, so that an issuer body is only as defective as the fuzz makes it. */
const PUBLIC_JWK = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });

const notString = (rng: Rng) => rng.pick<unknown>([0, 1.5, true, null, [], {}, ["a"], { a: 1 }, nested(100)]);
/** Longer than `max` code points (what zod 4's max counts: 🙂 is one), in ASCII or not. */
const tooLong = (rng: Rng, max: number) => {
  const unit = rng.pick(["x", "🙂", "e\u0301", "\u202E", "中"]);
  return unit.repeat(Math.ceil((max + 1 + rng.int(max * 2 + 10)) / [...unit].length));
};
const blank = (rng: Rng) => rng.pick(["", " ", "\t\n", "\u3000".repeat(0)]);
const text =
  (max: number, min = 1): Field["invalid"] =>
  (rng) =>
    rng.weighted<() => unknown>([
      [3, () => notString(rng)],
      [3, () => tooLong(rng, max)],
      [min > 0 ? 2 : 0, () => blank(rng)],
    ])();

/** Field rules, from the zod schemas of lib/*. */
export const FORMS = {
  application: {
    name: { valid: () => "Fuzz 🙂 app", invalid: text(100), required: true },
    version: {
      valid: () => "1.0.0",
      invalid: (rng: Rng) => rng.pick<unknown>([".1", "1 0", "v/1", "x".repeat(33), 1, ["1.0"], "🙂"]),
      required: false,
    },
    platforms: {
      valid: () => ["tvOS"],
      invalid: (rng: Rng) =>
        rng.pick<unknown>([[], ["Amiga"], ["__proto__"], "tvOS", [1], [null], { 0: "tvOS" }, ["tvos"]]),
      required: true,
    },
    domains: {
      valid: () => ["fuzz.example"],
      invalid: (rng: Rng) =>
        rng.pick<unknown>([
          [],
          "",
          ["evil.com/path"],
          ["tëst.example"],
          ["a b"],
          [1],
          Array.from({ length: 51 }, (_, i) => `d${i}.example`),
          ["*.*.example"],
          [`${"a".repeat(64)}.example`],
          { 0: "a.example" },
        ]),
      required: true,
    },
    channel: {
      valid: () => undefined,
      invalid: (rng: Rng) => rng.pick<unknown>([1, ["c"], { c: 1 }, tooLong(rng, 100)]),
      required: false,
    },
    scopes: {
      valid: () => undefined,
      invalid: (rng: Rng) =>
        rng.pick<unknown>([
          ["has space"],
          ["a".repeat(65)],
          [1],
          Array.from({ length: 21 }, (_, i) => `s${i}`),
          5,
        ]),
      required: false,
    },
  },
  issuer: {
    iss: { valid: () => "https://fuzz-issuer.example", invalid: text(2048), required: true },
    jwks: {
      valid: () => ({ keys: [{ ...PUBLIC_JWK, kid: "fuzz" }] }),
      invalid: (rng: Rng) =>
        rng.pick<unknown>([
          { keys: [] },
          { keys: {} },
          { keys: [{}] },
          { keys: [{ kty: "RSA" }] },
          { keys: [{ kty: "RSA", n: "x", e: "AQAB", d: "secret" }] },
          "not json",
          "{}",
          42,
          [],
          { keys: [{ kty: "oct", k: "c2VjcmV0" }] },
          { keys: Array.from({ length: 51 }, () => ({ kty: "EC" })) },
          JSON.parse('{"keys":[{"kty":"RSA","__proto__":{"d":"x"}}]}') as unknown,
        ]),
      required: true,
    },
  },
  member: {
    email: {
      valid: () => "fuzz-member@acme.test",
      invalid: (rng: Rng) =>
        rng.pick<unknown>([
          "not-an-email",
          "a@",
          "@b.test",
          `${"a".repeat(250)}@b.test`,
          "a b@c.test",
          1,
          ["a@b.test"],
          "",
          "admin@acme.test\u0000",
        ]),
      required: true,
    },
    name: { valid: () => "Fuzz", invalid: text(100), required: true },
    role: {
      valid: () => "VIEWER",
      invalid: (rng: Rng) =>
        rng.pick<unknown>(["OWNER", "admin", "REP", "", "ADMIN ", 1, ["ADMIN"], "__proto__", null]),
      required: true,
    },
  },
  organization: {
    slug: {
      valid: () => "fuzz-org",
      invalid: (rng: Rng) =>
        rng.pick<unknown>(["", "-a", "a-", "a_b", "a".repeat(41), "ünï", "acme/x", 1, ["a"]]),
      required: true,
    },
    name: { valid: () => "Fuzz Org", invalid: text(100, 2), required: true },
    admin: {
      valid: () => ({ email: "fuzz-admin@org.test", name: "A" }),
      invalid: (rng: Rng) =>
        rng.pick<unknown>([{}, { email: "x" }, "a@b.test", null, [], { email: "a@b.test", name: "" }]),
      required: true,
    },
  },
  settings: {
    name: { valid: () => "Acme Media", invalid: text(100, 2), required: true },
    tokenLifetimeSeconds: {
      valid: () => undefined,
      invalid: (rng: Rng) => rng.pick<unknown>([299, 86_401, -1, 1.5, "abc", "1e9", [], {}]),
      required: false,
    },
  },
  token: {
    name: { valid: () => "fuzz token", invalid: text(100), required: true },
    access: {
      valid: () => "READ",
      invalid: (rng: Rng) => rng.pick<unknown>(["ADMIN", "read", "", 1, null, ["READ"]]),
      required: true,
    },
    expiresInDays: {
      valid: () => undefined,
      invalid: (rng: Rng) => rng.pick<unknown>([0, -1, 100_000, "soon", 1.5]),
      required: false,
    },
  },
  revoke: {
    reason: {
      valid: () => "fuzz reason",
      invalid: (rng: Rng) =>
        rng.pick<unknown>(["", "ab", "  a ", tooLong(rng, 500), 1, null, ["reason"], { reason: "x" }]),
      required: true,
    },
  },
  find: {
    q: { valid: () => "fuzz-find", invalid: text(16_384, 3), required: true },
  },
  webhook: {
    url: {
      valid: () => "https://93.184.215.14/fuzz-hook",
      invalid: (rng: Rng) =>
        rng.weighted<() => unknown>([
          [3, () => notString(rng)],
          [1, () => `https://a.example/${tooLong(rng, 2048)}`],
          [1, () => blank(rng)],
          [
            6,
            () =>
              rng.pick([
                "http://93.184.215.14/hook",
                "https://user:pw@93.184.215.14/",
                "https://93.184.215.14/#frag",
                "ftp://93.184.215.14/",
                "javascript:alert(1)",
                "https://127.0.0.1/",
                "https://localhost/",
                "https://2130706433/",
                "https://10.0.0.1/",
                "https://169.254.169.254/latest/meta-data",
                "https://[::1]/",
                "https://[::ffff:127.0.0.1]/",
                "https://[fe80::1]/",
                "https://0.0.0.0/",
                "hooks.example.com",
                "https://",
              ]),
          ],
        ])(),
      required: true,
    },
    events: {
      valid: () => ["statement.revoked"],
      invalid: (rng: Rng) =>
        rng.pick<unknown>([
          [],
          ["statement.generated"],
          ["__proto__"],
          "statement.revoked",
          [1],
          [null],
          ["STATEMENT.REVOKED"],
          { 0: "statement.revoked" },
          Array.from({ length: 4 }, () => "nope"),
        ]),
      required: true,
    },
  },
  move: {
    organization: {
      valid: () => "globex",
      invalid: (rng: Rng) =>
        rng.pick<unknown>(["", "nope", "__proto__", "ACME", "a".repeat(65), 1, null, ["globex"]]),
      required: true,
    },
    applicationId: {
      valid: () => "not-an-application",
      invalid: (rng: Rng) => rng.pick<unknown>(["", "x".repeat(65), 1, null, {}, ["x"]]),
      required: true,
    },
    reason: {
      valid: () => "fuzz reason",
      invalid: (rng: Rng) => rng.pick<unknown>(["", "ab", tooLong(rng, 500), 1, null]),
      required: true,
    },
  },
} satisfies Record<string, Record<string, Field>>;

export type FormName = keyof typeof FORMS;

/** A body for `form` with at least one defect (a field invalid or missing), and noise that alone is harmless. */
export function defectiveBody(rng: Rng, form: FormName): { fields: Fields; defect: string } {
  const rules = FORMS[form] as Record<string, Field>;
  const fields: Fields = {};
  for (const [name, rule] of Object.entries(rules)) {
    const value = rule.valid();
    if (value !== undefined) fields[name] = value;
  }
  const names = Object.keys(rules);
  const defects: string[] = [];
  for (let n = 1 + (rng.chance(0.2) ? 1 : 0); n > 0; n--) {
    const name = rng.pick(names);
    const rule = rules[name]!;
    if (rule.required && rng.chance(0.2)) {
      delete fields[name];
      defects.push(`missing:${name}`);
    } else {
      fields[name] = rule.invalid(rng);
      defects.push(`invalid:${name}`);
    }
  }
  if (rng.chance(0.3)) fields[hostileKey(rng) || "extra"] = hostileValue(rng);
  if (rng.chance(0.1)) fields.organizationId = "another-org";
  return { fields, defect: defects.join("+") };
}

export type AdminRequest = {
  label: string;
  path: string;
  body: string | Buffer;
  contentType: string;
  auth: "session" | "token" | "no-origin" | "foreign-origin" | "bearer-garbage" | "basic";
};

/** An admin API mutation (POST under /api/admin/v1) that must be refused. */
export function adminRequest(rng: Rng, ctx: AdminContext): AdminRequest {
  const malformed = ["%FF", "%ED%A0%80", "%", "%zz", "%E2%82"];
  const org = rng.chance(0.95)
    ? ctx.org
    : rng.chance(0.7)
      ? segment(rng.pick(["globex", "nope", "__proto__", "constructor", "ACME", "🙂"]))
      : rng.pick(malformed);
  const badId = () =>
    rng.chance(0.8)
      ? segment(
          rng.pick([
            "nope",
            "__proto__",
            "constructor",
            "' OR 1=1 --",
            "🙂",
            "0",
            "a".repeat(300),
            ctx.applicationId.toUpperCase(),
          ]),
        )
      : rng.pick(malformed);
  const target = rng.weighted<() => { path: string; body: unknown; label: string }>([
    [4, () => ({ path: `/orgs/${org}/applications`, ...labelled(defectiveBody(rng, "application")) })],
    [4, () => ({ path: `/orgs/${org}/issuers`, ...labelled(defectiveBody(rng, "issuer")) })],
    [3, () => ({ path: `/orgs/${org}/members`, ...labelled(defectiveBody(rng, "member")) })],
    [2, () => ({ path: "/orgs", ...labelled(defectiveBody(rng, "organization")) })],
    [2, () => ({ path: "/find", ...labelled(defectiveBody(rng, "find")) })],
    [
      4,
      () => {
        // Revoke, or revoke-and-replace: the same input, both must refuse it and change nothing.
        const verb = rng.pick(["revoke", "replace"]);
        return rng.chance(0.7)
          ? {
              path: `/orgs/${org}/statements/${ctx.statementId}/${verb}`,
              ...labelled(defectiveBody(rng, "revoke")),
            }
          : {
              path: `/orgs/${org}/statements/${badId()}/${verb}`,
              body: { reason: "a fine reason" },
              label: "unknown-statement",
            };
      },
    ],
    [
      2,
      () => ({
        path: `/orgs/${org}/statements/${rng.chance(0.7) ? ctx.statementId : badId()}/move`,
        ...labelled(defectiveBody(rng, "move")),
      }),
    ],
    [3, () => ({ path: `/orgs/${org}/webhooks`, ...labelled(defectiveBody(rng, "webhook")) })],
    [
      1,
      () => ({
        path: `/orgs/${org}/webhooks/${badId()}/${rng.pick(["test", "rotate-secret"])}`,
        body: rng.chance(0.5) ? {} : hostileValue(rng),
        label: "unknown-webhook",
      }),
    ],
    [
      1,
      () => ({
        path: `/orgs/${org}/webhooks/${badId()}/deliveries/${badId()}/retry`,
        body: rng.chance(0.5) ? {} : hostileValue(rng),
        label: "unknown-delivery",
      }),
    ],
    [
      2,
      () => ({
        path: `/orgs/${org}/applications/${badId()}/statements`,
        body: rng.chance(0.5) ? {} : hostileValue(rng),
        label: "unknown-application",
      }),
    ],
    [
      5,
      () => {
        const s = unstorable(rng, ctx.keys);
        const body: Fields = { software_statement: s.jwt };
        if (rng.chance(0.3))
          body.applicationId = rng.pick<unknown>([ctx.applicationId, hostileValue(rng), "x".repeat(65)]);
        if (rng.chance(0.1)) body.software_statement = hostileValue(rng);
        return { path: `/orgs/${org}/statements`, body, label: `upload:${s.kind}` };
      },
    ],
  ])();
  let body: string | Buffer = JSON.stringify(target.body) ?? "null";
  let contentType = "application/json";
  let label = target.label;
  const framing = rng.int(20);
  if (framing === 0) {
    body = body.slice(0, rng.int(body.length)) + rng.pick(["", ",", "}", "'"]);
    label += "+truncated";
  } else if (framing === 1) {
    contentType = rng.pick([
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
    ]);
    label += "+content-type";
  } else if (framing === 2) {
    body = JSON.stringify({ ...(target.body as object), pad: "x".repeat(70_000) });
    label += "+huge";
  } else if (framing === 3) {
    body = withInvalidUtf8(rng, body);
    label += "+invalid-utf8";
  } else if (framing === 4) {
    body = `{"a":${"[".repeat(20_000)}${"]".repeat(20_000)}}`;
    label += "+deep";
  } else if (framing === 5) {
    contentType = "application/json; charset=utf-16";
    label += "+charset";
  }
  const auth = rng.weighted<AdminRequest["auth"]>([
    [30, "session"],
    [10, "token"],
    [1, "no-origin"],
    [1, "foreign-origin"],
    [1, "bearer-garbage"],
    [1, "basic"],
  ]);
  return {
    label: `admin${target.path.replace(/\/orgs\/[^/]+/, "/orgs/:org").replace(/(statements|applications|webhooks)\/[^/]+\//, "$1/:id/")}/${label}/${auth}`,
    path: target.path,
    body,
    contentType,
    auth,
  };
}

function labelled({ fields, defect }: { fields: Fields; defect: string }) {
  return { body: fields, label: defect };
}

/** A hostile statement an upload cannot store: one that no trusted issuer's key verifies. */
export function unstorable(rng: Rng, keys: StatementKeys) {
  for (;;) {
    const s = hostileStatement(rng, keys);
    if (!s.verifies) return s;
  }
}

export type AdminRead = {
  label: string;
  path: string;
  accept?: string;
  auth: "session" | "token" | "none" | "bearer-garbage";
};

/**
 * A read of the activity API (GET /orgs/{org}/activity) with a random query: values valid, garbage or out of
 * range, unknown and repeated parameters, raw bad escapes. Any answer but a 5xx is fine, as long as a 200 is a
 * series (or its CSV) and anything else the admin API's error shape.
 */
export function activityRead(rng: Rng, ctx: AdminContext): AdminRead {
  const day = () => new Date(Date.UTC(rng.between(1970, 2100), rng.int(12), rng.between(1, 28)));
  const instant = () =>
    rng.weighted<() => string>([
      [4, () => day().toISOString().slice(0, 10)],
      [4, () => new Date(day().getTime() + rng.int(86_400) * 1000).toISOString()],
      [2, () => new Date(Date.now() - rng.int(40) * 86_400_000).toISOString().replace("Z", "+05:30")],
      [
        3,
        () =>
          rng.pick([
            "2026-02-30",
            "2026-13-01",
            "0000-01-01",
            "9999-12-31T23:59:59Z",
            "275760-09-13",
            "2026-11-27T25:00:00Z",
            "2026-11-27 10:00",
            "1764201600",
            "-1",
            "now",
            "2026-11-27T10:00:00",
            "2026-11-27T10:00:00.123456789Z",
          ]),
      ],
      [2, () => hostileString(rng)],
    ])();
  const id = (real: string) =>
    rng.weighted<() => string>([
      [3, () => real],
      [1, () => real.toUpperCase()],
      [2, () => rng.pick(["nope", "", " ", "x".repeat(65), "' OR 1=1 --", "__proto__", "🙂"])],
      [1, () => hostileString(rng)],
    ])();
  const makers: Record<string, () => string> = {
    bucket: () => rng.pick(["hour", "day", "week", "HOUR", "", "minute", "day ", hostileString(rng)]),
    from: instant,
    to: instant,
    statementId: () => id(ctx.statementId),
    applicationId: () => id(ctx.applicationId),
    format: () => rng.pick(["json", "csv", "CSV", "xml", "", "ndjson", hostileString(rng)]),
  };
  const params: [string, string][] = [];
  for (let n = rng.int(5); n > 0; n--) {
    const name = rng.pick(Object.keys(makers));
    params.push([name, makers[name]!()]);
  }
  // A short span at an edge of time, so that a valid query reaches the database with an extreme date.
  if (rng.chance(0.15)) {
    const edge = rng.pick([
      "0000-01-01",
      "0001-01-01",
      "1969-12-31",
      "1999-12-31",
      "2100-01-01",
      "9999-12-30",
    ]);
    const to = new Date(Date.parse(`${edge}T00:00:00Z`) + rng.between(1, 2) * 86_400_000);
    params.push(["from", edge], ["to", Number.isNaN(to.getTime()) ? edge : to.toISOString()]);
  }
  if (rng.chance(0.1)) params.push([hostileKey(rng) || "extra", hostileString(rng)]);
  if (rng.chance(0.05) && params[0]) params.push([params[0][0], "day"]);
  let query = new URLSearchParams(params.map(([k, v]) => [k, v.toWellFormed()])).toString();
  if (rng.chance(0.05)) query += rng.pick(["&from=%FF", "&bucket=%zz", "&%E2%82=1", "&=&&", "&to"]);
  const org = rng.chance(0.95) ? ctx.org : segment(rng.pick(["globex", "nope", "ACME", "__proto__"]));
  const auth = rng.weighted<AdminRead["auth"]>([
    [10, "session"],
    [10, "token"],
    [1, "none"],
    [1, "bearer-garbage"],
  ]);
  const accept = rng.chance(0.2)
    ? rng.pick(["text/csv", "text/csv;q=0", "application/json, text/csv;q=0.5", "*/*", "text/html"])
    : undefined;
  return {
    label: `admin-read/activity/${params.map(([k]) => k).join("+") || "defaults"}/${auth}`,
    path: `/orgs/${org}/activity${query ? `?${query}` : ""}`,
    accept,
    auth,
  };
}

/** A story read (GET /find/{kind}/{id}), with a hostile kind or id: what exists is a 200, anything else a 404. */
export function findStoryRead(rng: Rng, ctx: AdminContext): AdminRead {
  const kind = rng.pick([...FIND_KINDS, "nope", "CLIENT"]);
  const id = rng.weighted<() => string>([
    [2, () => ctx.statementId],
    [1, () => ctx.applicationId],
    [1, () => ctx.viewerUserId],
    [3, () => segment(hostileString(rng) || "x")],
    [1, () => rng.pick(["%FF", "%", "%ED%A0%80", "a".repeat(300), "__proto__"])],
  ])();
  const auth = rng.weighted<AdminRead["auth"]>([
    [6, "session"],
    [2, "token"],
    [1, "none"],
  ]);
  return { label: `admin-read/find/${kind}/${auth}`, path: `/find/${kind}/${id}`, auth };
}
