import { beforeAll, describe, expect, inject, it } from "vitest";
import { callAction } from "@/test/harness/actions";
import { HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";

/** The headers, cookies and cross-site refusals a browser relies on, checked over HTTP on the real app. */
const baseUrl = inject("baseUrl");
const password = inject("seedPassword");
const sql = await openServerSql();
let admin: HttpSession;

beforeAll(async () => {
  admin = new HttpSession();
  expect((await admin.signIn("admin@acme.test", password)).status).toBe(302);
});

const STATIC_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
};

describe("security headers", () => {
  it("every page carries a nonce CSP, new on each request, that allows no inline script", async () => {
    const nonces = new Set<string>();
    for (const path of ["/login", "/login"]) {
      const res = await fetch(baseUrl + path);
      const csp = res.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      nonces.add(nonce!);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      // Every script of the page carries this request's nonce.
      const scripts = [...(await res.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(2);
    expect((await admin.fetch("/")).headers.get("content-security-policy")).toMatch(/'nonce-/);
  });

  it("every kind of response carries the static headers; HSTS only over HTTPS", async () => {
    const responses = [
      await fetch(`${baseUrl}/login`),
      await admin.fetch("/api/admin/v1/orgs"),
      await fetch(`${baseUrl}/.well-known/jwks.json`),
      await fetch(`${baseUrl}/o/client/token`, {
        method: "POST",
        headers: { "x-forwarded-for": "192.0.2.201" },
      }),
      await fetch(`${baseUrl}/api/health`),
    ];
    for (const res of responses) {
      for (const [name, value] of Object.entries(STATIC_HEADERS))
        expect(res.headers.get(name), `${res.url} ${name}`).toBe(value);
      expect(res.headers.get("strict-transport-security")).toBeNull();
    }
    // The test server trusts its proxy (TRUST_PROXY=true): a request the proxy received over HTTPS gets HSTS.
    const https = await fetch(`${baseUrl}/login`, { headers: { "x-forwarded-proto": "https" } });
    expect(https.headers.get("strict-transport-security")).toMatch(/^max-age=\d{7,}/);
  });
});

describe("cookies", () => {
  it("the session cookie is HttpOnly and SameSite=Lax, and its scheme is PUBLIC_URL's, not a proxy header's", async () => {
    const plain = await new HttpSession().signIn("admin@acme.test", password);
    const session = plain.headers.getSetCookie().find((c) => /authjs\.session-token=/.test(c))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);

    // This server's PUBLIC_URL is http://: X-Forwarded-Proto (trusted here) does not change the cookie. An
    // https:// PUBLIC_URL gives Secure, __Secure- cookies: app/api/auth/public-url.test.ts.
    const http = new HttpSession();
    const csrf = await http.fetch("/api/auth/csrf", { headers: { "x-forwarded-proto": "https" } });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const proxied = await http.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-proto": "https" },
      body: new URLSearchParams({ email: "admin@acme.test", password, csrfToken }),
    });
    const cookie = proxied.headers.getSetCookie().find((c) => /session-token=/.test(c));
    expect(cookie).toMatch(/^authjs\.session-token=/);
  });
});

describe("cross-site requests", () => {
  const count = async () =>
    Number((await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "Application"`))!.n);

  it("the admin API refuses a mutation from another site, and changes nothing", async () => {
    const before = await count();
    for (const origin of ["https://evil.example", "null"]) {
      const res = await admin.fetch("/api/admin/v1/orgs/acme/applications", {
        method: "POST",
        headers: { "content-type": "application/json", origin },
        body: JSON.stringify({ name: "Cross-site app", platforms: ["Web"], domains: ["evil.example"] }),
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toEqual(expect.any(String));
    }
    expect(await count()).toBe(before);
  });

  it("the admin API refuses a mutation whose browser says it is not same-origin, even with our Origin", async () => {
    const before = await count();
    for (const site of ["cross-site", "same-site", "none"]) {
      const res = await admin.fetch("/api/admin/v1/orgs/acme/applications", {
        method: "POST",
        headers: { "content-type": "application/json", origin: baseUrl, "sec-fetch-site": site },
        body: JSON.stringify({ name: "Cross-site app", platforms: ["Web"], domains: ["evil.example"] }),
      });
      expect(res.status).toBe(403);
    }
    expect(await count()).toBe(before);
  });

  /** The create-application form's action, signed in as acme's admin, with these headers. */
  const createApplication = (headers: Record<string, string | null>) => {
    const form = new FormData();
    form.set("name", "Cross-site action app");
    form.set("version", "1.0.0");
    form.set("platforms", "Web");
    form.set("domains", "evil.example");
    return callAction(admin, "/applications/new", "createApplicationAction", [{}, form], headers);
  };

  it("a server action from another site, without an Origin, or from a browser that says it is not same-origin is refused with 403, and does not run", async () => {
    const before = await count();
    const refusals: Record<string, string | null>[] = [
      { origin: "https://evil.example" },
      { origin: null },
      { origin: "null" },
      { origin: null, "sec-fetch-site": "same-origin" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ];
    for (const headers of refusals) {
      const res = await createApplication(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(res.text)).toMatchObject({ error: { code: "forbidden" } });
    }
    expect(await count()).toBe(before);
    // The same request from our own origin does run (so the refusals above are the origin check, nothing else).
    const same = await createApplication({ "sec-fetch-site": "same-origin" });
    expect(same.status).toBeLessThan(400);
    expect(await count()).toBe(before + 1);
  });
});

describe("the client's address behind the trusted proxy", () => {
  it("is the entry the proxy appended, so a client cannot pick its own throttle bucket", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      // Whatever the client claims first, the proxy (TRUST_PROXY=true here) appended the same last entry.
      const res = await fetch(`${baseUrl}/o/client/token`, {
        method: "POST",
        headers: {
          "x-forwarded-for": `10.0.${i}.1, 192.0.2.177`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10)).not.toContain(429);
    expect(statuses[10]).toBe(429);
  });
});
