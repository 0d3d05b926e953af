import { request } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { startInstance, type Instance } from "@/test/harness/instance";

/**
 * Auth.js builds its URLs (redirects, the sign-out page's form, the providers' URLs, the callback-url cookie)
 * from PUBLIC_URL, whatever Host or X-Forwarded-Host a client sends: a foreign one would otherwise send a
 * signed-in user, or a poisoned cache's next visitor, to another site.
 */
const FOREIGN = { host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; text: string };

/** One request with the Host header as given (fetch always sends the URL's). */
function send(
  base: string,
  pathname: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(base + pathname, { method: init.method ?? "GET", headers: init.headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

/** Every URL an answer carries: its Location, its cookies' values, and every absolute URL in its body. */
function urlsIn(answer: Answer): string[] {
  const cookies = [answer.headers["set-cookie"] ?? []]
    .flat()
    .map((c) => decodeURIComponent(c.split(";")[0]!));
  const texts = [String(answer.headers.location ?? ""), ...cookies, answer.text.replaceAll("&amp;", "&")];
  return texts.flatMap((t) => [...t.matchAll(/https?:\/\/[^\s"'<>,;)\\]+/g)].map((m) => m[0]));
}

/** The Auth.js endpoints a client can reach, with a foreign Host: what each answers. */
async function answersWithForeignHost(base: string, email: string, password: string): Promise<Answer[]> {
  const csrf = await send(base, "/api/auth/csrf", { headers: FOREIGN });
  const csrfToken = (JSON.parse(csrf.text) as { csrfToken: string }).csrfToken;
  const cookie = [csrf.headers["set-cookie"] ?? []]
    .flat()
    .map((c) => c.split(";")[0])
    .join("; ");
  const form = { ...FOREIGN, cookie, "content-type": "application/x-www-form-urlencoded" };
  const signedIn = await send(base, "/api/auth/callback/credentials", {
    method: "POST",
    headers: form,
    body: new URLSearchParams({ email, password, csrfToken }).toString(),
  });
  const session = [signedIn.headers["set-cookie"] ?? []].flat().map((c) => c.split(";")[0]);
  return [
    csrf,
    signedIn,
    await send(base, "/api/auth/providers", { headers: FOREIGN }),
    await send(base, "/api/auth/signin", { headers: FOREIGN }),
    await send(base, "/api/auth/signin/credentials", { headers: FOREIGN }),
    await send(base, "/api/auth/signout", { headers: FOREIGN }),
    await send(base, "/api/auth/error?error=Configuration", { headers: FOREIGN }),
    await send(base, "/api/auth/callback/credentials", {
      method: "POST",
      headers: form,
      body: new URLSearchParams({ email, password: "wrong password", csrfToken }).toString(),
    }),
    await send(base, "/api/auth/signout", {
      method: "POST",
      headers: { ...form, cookie: [cookie, ...session].join("; ") },
      body: new URLSearchParams({ csrfToken }).toString(),
    }),
  ];
}

function expectAllOn(origin: string, answers: Answer[]) {
  const urls = answers.flatMap(urlsIn);
  // Redirects, the callback-url cookie and the providers' URLs at least.
  expect(urls.length).toBeGreaterThan(8);
  for (const url of urls) expect(new URL(url).origin, url).toBe(origin);
  for (const answer of answers) expect(JSON.stringify(answer)).not.toContain("evil.example");
}

describe("on the suite's server (PUBLIC_URL is its own address)", () => {
  it("every URL Auth.js answers with is on PUBLIC_URL's origin, whatever Host the client sent", async () => {
    const base = inject("baseUrl");
    const answers = await answersWithForeignHost(base, "admin@acme.test", inject("seedPassword"));
    expect(answers[1]!.status).toBe(302); // signed in
    expectAllOn(base, answers);
  });
});

describe("on an instance whose PUBLIC_URL is another site, over HTTPS", () => {
  const PUBLIC_URL = "https://console.example.test";
  const root = mkdtempSync(path.join(tmpdir(), "sc-public-url-"));
  let app: Instance;
  beforeAll(async () => {
    app = await startInstance({
      DATA_DIR: root,
      DATABASE_URL: `file:${path.join(root, "app.db")}`,
      SEED_PASSWORD: inject("seedPassword"),
      PUBLIC_URL,
      TRUST_PROXY: "true",
    });
  }, 240_000);
  afterAll(async () => {
    await app?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("builds Auth.js's URLs on PUBLIC_URL, not on the address the request reached", async () => {
    expectAllOn(
      PUBLIC_URL,
      await answersWithForeignHost(app.baseUrl, "admin@acme.test", inject("seedPassword")),
    );
  });

  it("gives HTTPS-only cookies (Secure, __Secure- name) even over plain HTTP, and reads them back", async () => {
    const http = new HttpSession(app.baseUrl);
    const res = await http.signIn("admin@acme.test", inject("seedPassword"));
    expect(new URL(res.headers.get("location")!).origin).toBe(PUBLIC_URL);
    const cookie = res.headers.getSetCookie().find((c) => /session-token=/.test(c));
    expect(cookie).toMatch(/^__Secure-authjs\.session-token=/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    // Pages and the session endpoint read the same cookie.
    expect((await http.fetch("/")).status).toBe(200);
    const session = (await (await http.fetch("/api/auth/session")).json()) as { user: { email: string } };
    expect(session.user.email).toBe("admin@acme.test");
  });
});
