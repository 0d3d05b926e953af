import { inject } from "vitest";

/** The attribute of a Set-Cookie that tells the browser to forget the cookie. */
export const EXPIRED_COOKIE = /max-age=0|expires=thu, 01 jan 1970/i;

/** A minimal browser-like HTTP client for the running app: keeps cookies, never follows redirects. */
export class HttpSession {
  private cookies = new Map<string, string>();
  constructor(readonly baseUrl: string = inject("baseUrl")) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(this.baseUrl + path, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const [name, ...value] = pair!.split("=");
      const expired = attributes.some((a) => EXPIRED_COOKIE.test(a.trim()));
      if (expired) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value.join("="));
    }
    return response;
  }

  /** Another session with this one's cookies: what it is told to set or clear stays its own. */
  clone(): HttpSession {
    const copy = new HttpSession(this.baseUrl);
    for (const [name, value] of this.cookies) copy.setCookie(name, value);
    return copy;
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  hasCookie(name: string): boolean {
    return [...this.cookies.keys()].some((k) => k.includes(name));
  }

  async csrfToken(): Promise<string> {
    return ((await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
  }

  /** A session signed in as `email` with the seed's password (it fails the test if that does not work). */
  static async signedIn(email: string): Promise<HttpSession> {
    const session = new HttpSession();
    const res = await session.signIn(email, inject("seedPassword"));
    if (res.status !== 302) throw new Error(`Signing in as ${email} answered ${res.status}.`);
    return session;
  }

  /** A same-origin JSON POST (as the admin API's mutations need), with its status and parsed body. */
  async postJson<T = Record<string, unknown>>(
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await this.fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", origin: this.baseUrl },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  /** The Auth.js credentials flow exactly as curl would drive it. */
  async signIn(email: string, password: string): Promise<Response> {
    const body = new URLSearchParams({ email, password, csrfToken: await this.csrfToken() });
    return this.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
  }
}
