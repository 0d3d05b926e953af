import { beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";

/**
 * A signed-in user who opens /login is sent on to its callbackUrl. Over HTTP on the real app: wherever that
 * value points, the Location stays on this site, as a browser resolves it.
 */
const baseUrl = inject("baseUrl");
let admin: HttpSession;

beforeAll(async () => {
  admin = new HttpSession();
  expect((await admin.signIn("admin@acme.test", inject("seedPassword"))).status).toBe(302);
});

const redirectFor = async (callbackUrl: string) => {
  const res = await admin.fetch(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  expect(res.status).toBe(307);
  return res.headers.get("location")!;
};

describe("/login for a signed-in user", () => {
  it("goes on to a path on this site", async () => {
    expect(await redirectFor("/audit?action=member.added")).toBe("/audit?action=member.added");
  });

  it.each([
    "/.//evil.example/phish",
    "/..//evil.example/x",
    "/%2e//evil.example/x",
    "/a/..//evil.example/x",
    "/./\\evil.example/x",
    "/.\t//evil.example/x",
    "/.\r\n//evil.example/x",
    "//evil.example/x",
    "https://evil.example//evil.example/x",
  ])("never leaves the site for %j", async (callbackUrl) => {
    const location = await redirectFor(callbackUrl);
    const target = new URL(location, baseUrl);
    expect(target.origin, location).toBe(new URL(baseUrl).origin);
    expect(location).toMatch(/^\/(?![/\\])/);
  });
});
