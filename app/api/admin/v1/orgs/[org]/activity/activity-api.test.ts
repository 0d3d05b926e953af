import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  COUNTERS,
  DAY_MS,
  HOUR_MS,
  bucketStart,
  zeroCounts,
  type ActivityCounts,
} from "@/lib/activity/types";
import type { ActivitySeries, Bucket } from "@/lib/activity/types";
import { HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";
import { insertToken } from "@/test/harness/tokens";

/**
 * GET /orgs/{org}/activity over real HTTP against the production build: activity made through the real client
 * endpoints (registrations, tokens, a wrong secret, a revocation and what it refuses) read back exactly, by hour
 * and by day, per statement and per application, as JSON and CSV.
 */
const baseUrl = inject("baseUrl");
const password = inject("seedPassword");
const serverDb = await openServerSql();
afterAll(() => serverDb.close());

const API = "/api/admin/v1/orgs";
const JSON_TYPE = { "content-type": "application/json" };
type ErrorBody = { error: { code: string; message: string; details?: { fields: Record<string, string[]> } } };

async function session(email: string): Promise<HttpSession> {
  const http = new HttpSession();
  expect((await http.signIn(email, password)).status).toBe(302);
  return http;
}

/** A client-facing request from one device: its address (the test server trusts X-Forwarded-For) and agent. */
type Device = { ip: string; userAgent: string; facts: Record<string, string> };
const device = (n: number): Device => ({
  ip: `198.18.200.${n}`,
  userAgent: `ActivityTest/${n}.0 (AppleTV; tvOS 18)`,
  facts: { model: "AppleTV14,1", osName: "tvOS", osVersion: "18.1", serial: `activity-${n}` },
});

function client(path: string, from: Device, headers: Record<string, string>, body: string) {
  return fetch(baseUrl + path, {
    method: "POST",
    headers: {
      "x-forwarded-for": from.ip,
      "user-agent": from.userAgent,
      "x-device-info": Buffer.from(JSON.stringify(from.facts)).toString("base64"),
      ...headers,
    },
    body,
  });
}
const register = (statement: string, from: Device) =>
  client("/o/client/register", from, JSON_TYPE, JSON.stringify({ software_statement: statement }));
const token = (c: { client_id: string; client_secret: string }, from: Device) =>
  client(
    "/o/client/token",
    from,
    { "content-type": "application/x-www-form-urlencoded" },
    new URLSearchParams({ grant_type: "client_credentials", ...c }).toString(),
  );

/** The Adobe face's refusal: 400 with the OAuth error (docs/client-api.md). */
async function refused(reply: Promise<Response>, error: string) {
  const res = await reply;
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ error });
}

/** The counts of every point of a series added up (the activity may straddle a bucket's end). */
const total = (series: ActivitySeries) => {
  const sum = zeroCounts();
  for (const p of series.points) for (const c of COUNTERS) sum[c] += p[c];
  return sum;
};
const size = (bucket: Bucket) => (bucket === "hour" ? HOUR_MS : DAY_MS);

let admin: HttpSession, viewer: HttpSession, globex: HttpSession, rep: HttpSession, readToken: string;
let appId: string, statementId: string, quietStatementId: string;
let began: Date, ended: Date;
/** What the activity below must read back as. */
const expected: ActivityCounts = {
  registrations: 3,
  newDevices: 2,
  tokens: 2,
  revokedAtRegister: 1,
  revokedAtToken: 1,
  badSecret: 1,
  throttled: 0,
  statementFetches: 0,
  invalidStatement: 0,
};

async function adminPost<T>(path: string, body: unknown, status = 201): Promise<T> {
  const res = await admin.fetch(`${API}/acme${path}`, {
    method: "POST",
    headers: { ...JSON_TYPE, origin: baseUrl },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

/** The activity of acme (or `org`) read as `as`, with the query string `query`. */
async function activity(query: string, as: HttpSession = viewer, org = "acme") {
  return as.fetch(`${API}/${org}/activity${query ? `?${query}` : ""}`);
}
async function series(query: string, as?: HttpSession): Promise<ActivitySeries> {
  const res = await activity(query, as);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as ActivitySeries;
}
/** The span of the activity, in whole buckets: `from` and `to` for a query covering it. */
const spanOf = (bucket: Bucket) =>
  `bucket=${bucket}&from=${bucketStart(began, bucket).toISOString()}&to=${new Date(bucketStart(ended, bucket).getTime() + size(bucket)).toISOString()}`;

beforeAll(async () => {
  admin = await session("admin@acme.test");
  viewer = await session("viewer@acme.test");
  globex = await session("admin@globex.test");
  rep = await session("rep@support.test");
  rep.setCookie("current-org", "acme");
  readToken = await insertToken(serverDb, "viewer@acme.test", "acme", "READ");

  const app = await adminPost<{ id: string }>("/applications", {
    name: `Activity ${randomUUID().slice(0, 8)}`,
    version: "1.0.0",
    platforms: ["tvOS"],
    domains: ["activity.example.com"],
  });
  appId = app.id;
  const statement = await adminPost<{ id: string; software_statement: string }>(
    `/applications/${appId}/statements`,
    {},
  );
  statementId = statement.id;
  quietStatementId = (await adminPost<{ id: string }>(`/applications/${appId}/statements`, {})).id;

  began = new Date();
  // Three registrations, two of them from one device (the same facts, address and agent): two new devices.
  const [one, two] = [device(1), device(2)];
  const registered = [];
  for (const from of [one, one, two]) {
    const res = await register(statement.software_statement, from);
    expect(res.status).toBe(201);
    registered.push((await res.json()) as { client_id: string; client_secret: string });
  }
  const first = registered[0]!;
  // Two tokens, and one refusal for a wrong secret.
  for (let i = 0; i < 2; i++) expect((await token(first, device(3))).status).toBe(201);
  await refused(token({ ...first, client_secret: "wrong-secret" }, device(3)), "invalid_client");
  // Revoked: a token for one of its clients and a new registration are each refused once.
  await adminPost(`/statements/${statementId}/revoke`, { reason: "activity API test" }, 200);
  await refused(token(first, device(4)), "invalid_client");
  await refused(register(statement.software_statement, device(4)), "unapproved_software_statement");
  ended = new Date();
});

describe("GET /orgs/{org}/activity", () => {
  it("counts exactly what the client endpoints did, by hour and by day, for the statement", async () => {
    for (const bucket of ["hour", "day"] as const) {
      const s = await series(`${spanOf(bucket)}&statementId=${statementId}`);
      expect(s.bucket).toBe(bucket);
      expect(total(s)).toEqual(expected);
      // Almost always one bucket holds it all: then that one point has every count.
      if (bucketStart(began, bucket).getTime() === bucketStart(ended, bucket).getTime()) {
        expect(s.points).toHaveLength(1);
        expect(s.points[0]).toEqual({ start: bucketStart(began, bucket).toISOString(), ...expected });
      }
    }
  });

  it("filters by application, and a statement without activity reads all zeros", async () => {
    expect(total(await series(`${spanOf("hour")}&applicationId=${appId}`))).toEqual(expected);
    const quiet = await series(`${spanOf("day")}&statementId=${quietStatementId}`);
    expect(quiet.points.length).toBeGreaterThan(0);
    expect(total(quiet)).toEqual(zeroCounts());
    // The organization as a whole counts at least this activity.
    const org = total(await series(spanOf("hour")));
    for (const c of COUNTERS) expect(org[c]).toBeGreaterThanOrEqual(expected[c]);
  });

  it("answers every bucket of the span, whole UTC buckets, the last 30 days by day by default", async () => {
    const hour = bucketStart(new Date()).getTime();
    const from = new Date(hour - 5 * HOUR_MS + 30 * 60_000).toISOString(); // rounded down to its hour
    const to = new Date(hour + 10 * 60_000).toISOString(); // rounded up: the current hour is the last
    const hourly = await series(`bucket=hour&from=${from}&to=${to}&statementId=${statementId}`);
    expect(hourly.from).toBe(new Date(hour - 5 * HOUR_MS).toISOString());
    expect(hourly.to).toBe(new Date(hour + HOUR_MS).toISOString());
    expect(hourly.points.map((p) => p.start)).toEqual(
      Array.from({ length: 6 }, (_, i) => new Date(hour - (5 - i) * HOUR_MS).toISOString()),
    );

    const byDefault = await series("");
    expect(byDefault.bucket).toBe("day");
    expect(byDefault.points).toHaveLength(30);
    expect(byDefault.points.at(-1)!.start).toBe(bucketStart(new Date(), "day").toISOString());
    expect(byDefault.to).toBe(new Date(bucketStart(new Date(), "day").getTime() + DAY_MS).toISOString());

    const days = await series("bucket=day&from=2026-01-01&to=2026-02-01");
    expect(days.points).toHaveLength(31);
    expect(days.points[0]!.start).toBe("2026-01-01T00:00:00.000Z");
  });

  it("reads the ends of the allowed range as empty buckets", async () => {
    for (const query of ["from=2000-01-01&to=2000-01-03", "from=2099-12-30&to=2099-12-31T23:59:59Z"]) {
      const s = await series(`${query}&statementId=${statementId}`);
      expect(s.points).toHaveLength(2);
      expect(total(s)).toEqual(zeroCounts());
    }
  });

  it("is readable by viewers, admins, representatives acting for the organization and read-only tokens", async () => {
    const query = `${spanOf("hour")}&statementId=${statementId}`;
    for (const as of [viewer, admin, rep]) expect(total(await series(query, as))).toEqual(expected);
    const res = await fetch(`${baseUrl}${API}/acme/activity?${query}`, {
      headers: { authorization: `Bearer ${readToken}` },
    });
    expect(res.status).toBe(200);
    expect(total((await res.json()) as ActivitySeries)).toEqual(expected);
  });

  it.each([
    ["bucket=week", "bucket"],
    ["from=2026-03-02&to=2026-03-01", "from"],
    ["bucket=hour&from=2026-01-01&to=2026-02-10", "from"],
    ["from=yesterday-ish", "from"],
    ["to=2026-13-45", "to"],
    ["from=0000-01-01&to=0000-01-03", "from"],
    ["from=9999-12-30&to=9999-12-31T23:59:59Z", "to"],
    ["format=xml", "format"],
    ["statementId=", "statementId"],
  ])("refuses ?%s with a 400 naming %s", async (query, field) => {
    const res = await activity(query);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body).toEqual({
      error: {
        code: "validation_failed",
        message: expect.any(String),
        details: { fields: expect.any(Object) },
      },
    });
    expect(body.error.details!.fields[field]).toEqual([expect.any(String)]);
  });

  it("refuses an unknown parameter, naming it", async () => {
    const res = await activity("bucket=day&granularity=hour");
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.message).toMatch(/granularity/);
  });

  it("keeps organizations apart: another's statement, application or activity is not found", async () => {
    const theirs = (await (await globex.fetch(`${API}/globex/statements?limit=1`)).json()) as {
      items: { id: string; applicationId: string }[];
    };
    const statement = theirs.items[0]!;
    for (const query of [`statementId=${statement.id}`, `applicationId=${statement.applicationId}`]) {
      const res = await activity(query);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: "not_found", message: expect.any(String) } });
    }
    expect((await activity("", viewer, "globex")).status).toBe(404);
    expect((await activity(`statementId=${statement.id}`, globex, "globex")).status).toBe(200);
  });

  it("asks for credentials without any", async () => {
    const res = await activity("", new HttpSession());
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthenticated", message: expect.any(String) } });
  });

  it("answers CSV with format=csv or Accept: text/csv: a header and one row per bucket", async () => {
    const query = `${spanOf("hour")}&statementId=${statementId}`;
    const json = await series(query);
    for (const res of [
      await activity(`${query}&format=csv`),
      await viewer.fetch(`${API}/acme/activity?${query}`, { headers: { accept: "text/csv" } }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="activity-acme-hour.csv"');
      const lines = (await res.text()).split("\r\n");
      expect(lines.pop()).toBe("");
      expect(lines[0]).toBe(
        "start,registrations,tokens,new_devices,refused_revoked_at_register,refused_revoked_at_token," +
          "refused_bad_secret,refused_throttled,refused_invalid_statement,statement_fetches",
      );
      expect(lines.slice(1)).toEqual(
        json.points.map((p) =>
          [
            p.start,
            p.registrations,
            p.tokens,
            p.newDevices,
            p.revokedAtRegister,
            p.revokedAtToken,
            p.badSecret,
            p.throttled,
            p.invalidStatement,
            p.statementFetches,
          ].join(","),
        ),
      );
    }
    // An explicit format wins over Accept.
    const asked = await viewer.fetch(`${API}/acme/activity?${query}&format=json`, {
      headers: { accept: "text/csv" },
    });
    expect(asked.headers.get("content-type")).toMatch(/^application\/json/);
  });
});
