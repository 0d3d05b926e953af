import { beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";

/**
 * POST /oauth2/introspect over HTTP on the real app: a client learns about tokens of its own organization
 * only, and the endpoint is throttled per client address like the token endpoint.
 */
const baseUrl = inject("baseUrl");
const password = inject("seedPassword");

let addresses = 0;
/** An address of this file's own (each test server trusts X-Forwarded-For). */
const freshIp = () => `172.31.8.${1 + addresses++}`;

type Client = { client_id: string; client_secret: string };

async function post(
  path: string,
  body: string,
  type: string,
  ip: string,
  headers: Record<string, string> = {},
) {
  const res = await fetch(baseUrl + path, {
    method: "POST",
    headers: { "content-type": type, accept: "application/json", "x-forwarded-for": ip, ...headers },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A client of a fresh statement of this organization, and an access token of it. */
async function clientOf(org: string, email: string): Promise<{ client: Client; accessToken: string }> {
  const admin = new HttpSession();
  expect((await admin.signIn(email, password)).status).toBe(302);
  const api = `/api/admin/v1/orgs/${org}/applications`;
  const json = { "content-type": "application/json", origin: baseUrl };
  const app = (await (
    await admin.fetch(api, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ name: `Introspection ${org}`, platforms: ["tvOS"], domains: [`${org}.test`] }),
    })
  ).json()) as { id: string };
  const statement = (await (
    await admin.fetch(`${api}/${app.id}/statements`, { method: "POST", headers: json, body: "{}" })
  ).json()) as { software_statement: string };
  const ip = freshIp();
  const registered = await post(
    "/o/client/register",
    JSON.stringify({ software_statement: statement.software_statement }),
    "application/json",
    ip,
  );
  expect(registered.status, registered.text).toBe(201);
  const client = JSON.parse(registered.text) as Client;
  const token = await post(
    "/o/client/token",
    new URLSearchParams({ grant_type: "client_credentials", ...client }).toString(),
    "application/x-www-form-urlencoded",
    ip,
  );
  expect(token.status, token.text).toBe(201);
  return { client, accessToken: (JSON.parse(token.text) as { access_token: string }).access_token };
}

const basic = (c: Client) => `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString("base64")}`;
const introspect = (token: string, by: Client, ip = freshIp()) =>
  post("/oauth2/introspect", `token=${encodeURIComponent(token)}`, "application/x-www-form-urlencoded", ip, {
    authorization: basic(by),
  });

let acme: { client: Client; accessToken: string };
let globex: { client: Client; accessToken: string };

beforeAll(async () => {
  acme = await clientOf("acme", "admin@acme.test");
  globex = await clientOf("globex", "admin@globex.test");
});

describe("introspection", () => {
  it("tells a client about its own organization's tokens", async () => {
    const own = await introspect(acme.accessToken, acme.client);
    expect(own.status).toBe(200);
    expect(JSON.parse(own.text)).toMatchObject({ active: true, client_id: acme.client.client_id });
  });

  it("answers a token of another organization exactly as an unknown one", async () => {
    const foreign = await introspect(acme.accessToken, globex.client);
    const unknown = await introspect("not-a-token", globex.client);
    expect(foreign.status).toBe(200);
    expect(foreign.text).toBe('{"active":false}');
    expect(foreign.text).toBe(unknown.text);
    const framing = (h: Headers) => ["content-type", "cache-control", "pragma"].map((n) => h.get(n));
    expect(framing(foreign.headers)).toEqual(framing(unknown.headers));
  });

  it("is throttled per client address like the token endpoint (burst of 10, then 429 with Retry-After)", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await introspect(acme.accessToken, acme.client, ip)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    const over = await introspect(acme.accessToken, acme.client, ip);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    // Wrong secrets count too: guessing one is what the throttle is for.
    const guesser = freshIp();
    const wrong = { ...acme.client, client_secret: "guess" };
    const guesses: number[] = [];
    for (let i = 0; i < 11; i++) guesses.push((await introspect(acme.accessToken, wrong, guesser)).status);
    expect(guesses.at(-1)).toBe(429);
  });
});
