import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";

/**
 * Input a client controls that once made the app answer 500: a keyset cursor holding a date no database can
 * bind, and a Host header that is not a host. Each is the client's mistake (a 400, or simply served) and
 * leaves no stack trace in the server's log.
 */
const baseUrl = inject("baseUrl");
const serverLog = inject("serverLog");
let admin: HttpSession;

beforeAll(async () => {
  admin = new HttpSession();
  expect((await admin.signIn("admin@acme.test", inject("seedPassword"))).status).toBe(302);
});

const logSize = () => readFileSync(serverLog).length;
/** What the server printed since `offset`, once its output (piped, so a moment late) has arrived. */
async function logSince(offset: number): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 500));
  return readFileSync(serverLog).subarray(offset).toString();
}
const cursorOf = (text: string) => Buffer.from(text).toString("base64url");

const LISTS = ["applications", "statements", "registrations", "audit"];
const PAGES = ["/applications", "/statements", "/registrations", "/audit"];

describe("a keyset cursor", () => {
  it.each([
    "+275760-09-13T00:00:00.000Z|x",
    "-271821-04-20T00:00:00.000Z|x",
    "+010000-01-01T00:00:00.000Z|x",
    "2026-02-30T00:00:00.000Z|x",
    "2026-01-01|x",
    "2026-01-01T00:00:00.000Z|x|y",
  ])("that encodeCursor never writes (%j) is a 400 on every paged list", async (text) => {
    for (const list of LISTS) {
      const res = await admin.fetch(`/api/admin/v1/orgs/acme/${list}?cursor=${cursorOf(text)}`);
      expect(res.status, list).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/cursor/);
    }
  });

  it("out of range leaves the dashboard's lists working (the bad cursor is ignored, not a 500)", async () => {
    const offset = logSize();
    for (const page of PAGES) {
      const res = await admin.fetch(`${page}?cursor=${cursorOf("+275760-09-13T00:00:00.000Z|x")}`);
      expect(res.status, page).toBe(200);
    }
    expect(await logSince(offset)).not.toMatch(/Error|\n\s+at /);
  });
});

/** One raw HTTP/1.1 request with the Host header exactly as given; resolves to the status code. */
function rawRequest(method: string, path: string, host: string, body = ""): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let reply = "";
    socket.on("data", (chunk) => (reply += chunk.toString("latin1")));
    socket.on("error", reject);
    socket.on("end", () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0)));
    socket.write(
      `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nX-Forwarded-For: 192.0.2.77\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  });
}

describe("a Host header that is not a host", () => {
  const HOSTS = ["a b", "[zz", "x:99999", "a/b", "user@evil.example"];

  it.each(HOSTS)(
    "%j: the client endpoints and Next's pages answer 400, and nothing is logged",
    async (host) => {
      const offset = logSize();
      expect(await rawRequest("POST", "/o/client/token", host, "grant_type=client_credentials")).toBe(400);
      expect(await rawRequest("POST", "/oauth2/introspect", host, "token=x")).toBe(400);
      expect(await rawRequest("GET", "/login", host)).toBe(400);
      expect(await rawRequest("GET", "/", host)).toBe(400);
      expect(await rawRequest("GET", "/api/admin/v1/orgs", host)).toBe(400);
      expect(await logSince(offset)).toBe("");
    },
  );

  it("a real one (with its port, or an IPv6 literal) is served as before", async () => {
    const { host } = new URL(baseUrl);
    expect(await rawRequest("GET", "/login", host)).toBe(200);
    expect(await rawRequest("GET", "/login", `[::1]:${new URL(baseUrl).port}`)).toBe(200);
    expect(await rawRequest("POST", "/o/client/token", host, "grant_type=client_credentials")).toBe(400);
  });
});
