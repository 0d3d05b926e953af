/**
 * A signed-in console admin for scripts and tests that drive the running app over HTTP: the Auth.js
 * credentials flow with a cookie jar (as curl does), and the few admin API calls the reliability checks need.
 * Free of Vitest so that plain `tsx` scripts can use it too (test/harness/http.ts reads Vitest's `inject`).
 */
export class AdminSession {
  private cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  async fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    // Mutations must come from the console's own origin (the admin API's same-origin check).
    if (init.method && init.method !== "GET") headers.set("origin", this.baseUrl);
    const response = await fetch(this.baseUrl + pathname, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [name, ...value] = line.split(";")[0]!.split("=");
      this.cookies.set(name!.trim(), value.join("="));
    }
    return response;
  }

  static async signIn(baseUrl: string, email: string, password: string): Promise<AdminSession> {
    const session = new AdminSession(baseUrl);
    const { csrfToken } = (await (await session.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await session.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password, csrfToken }),
    });
    if (res.status !== 302 || /error/i.test(res.headers.get("location") ?? ""))
      throw new Error(`Sign-in as ${email} failed (${res.status} → ${res.headers.get("location")}).`);
    return session;
  }

  private async json<T>(pathname: string, init: RequestInit, expected: number): Promise<T> {
    const res = await this.fetch(pathname, init);
    const text = await res.text();
    if (res.status !== expected)
      throw new Error(`${init.method ?? "GET"} ${pathname}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /** A fresh statement for the organization's first application, as "Get software statement" makes one. */
  async newStatement(org: string): Promise<{ id: string; software_statement: string }> {
    const apps = await this.json<{ items: { id: string }[] }>(
      `/api/admin/v1/orgs/${org}/applications`,
      {},
      200,
    );
    const appId = apps.items[0]?.id;
    if (!appId) throw new Error(`Organization ${org} has no application.`);
    return this.json(
      `/api/admin/v1/orgs/${org}/applications/${appId}/statements`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      },
      201,
    );
  }

  async revokeStatement(org: string, id: string, reason: string): Promise<Response> {
    return this.fetch(`/api/admin/v1/orgs/${org}/statements/${id}/revoke`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reason }),
    });
  }

  async verifyAudit(org: string): Promise<{ ok: boolean; checked: number; brokenAt?: unknown }> {
    return this.json(`/api/admin/v1/orgs/${org}/audit/verify`, {}, 200);
  }
}
