import { beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";

const password = inject("seedPassword");
const API = "/api/admin/v1/orgs";

type Event = { id: string; action: string; actorEmail: string | null; createdAt: string };
type Page = { items: Event[]; nextCursor: string | null };

async function session(email: string): Promise<HttpSession> {
  const http = new HttpSession();
  expect((await http.signIn(email, password)).status).toBe(302);
  return http;
}

describe("the audit endpoints of the admin API", () => {
  let viewer: HttpSession;
  let globex: HttpSession;
  beforeAll(async () => {
    viewer = await session("viewer@acme.test");
    globex = await session("admin@globex.test");
  });

  it("lists filtered events newest first, paging by cursor", async () => {
    const first = await viewer.fetch(`${API}/acme/audit?action=statement.*&limit=2`);
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as Page;
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toBeTruthy();
    const page2 = (await (
      await viewer.fetch(`${API}/acme/audit?action=statement.*&limit=2&cursor=${page1.nextCursor}`)
    ).json()) as Page;
    const all = [...page1.items, ...page2.items];
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(all.every((e) => e.action.startsWith("statement."))).toBe(true);
    const times = all.map((e) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("refuses an invalid filter with the field named", async () => {
    const res = await viewer.fetch(`${API}/acme/audit?since=yesterday-ish`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { fields: object } } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.fields).toHaveProperty("since");
  });

  it("streams an export as an attachment, and verifies the chain, for a viewer", async () => {
    const res = await viewer.fetch(`${API}/acme/audit/export?format=ndjson&action=statement.revoked`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="audit-acme-\d{4}-\d{2}-\d{2}\.ndjson"$/,
    );
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Event);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((e) => e.action === "statement.revoked")).toBe(true);

    const verify = await viewer.fetch(`${API}/acme/audit/verify`);
    expect(await verify.json()).toMatchObject({ ok: true });
  });

  it("keeps organizations apart: another's trail and events are not found", async () => {
    const theirs = ((await (await globex.fetch(`${API}/globex/audit?limit=1`)).json()) as Page).items[0]!;
    expect((await viewer.fetch(`${API}/acme/audit/${theirs.id}`)).status).toBe(404);
    expect((await viewer.fetch(`${API}/globex/audit`)).status).toBe(404);
    expect((await viewer.fetch(`${API}/globex/audit/export?format=csv`)).status).toBe(404);
    expect((await globex.fetch(`${API}/globex/audit/${theirs.id}`)).status).toBe(200);
    expect((await new HttpSession().fetch(`${API}/acme/audit`)).status).toBe(401);
  });
});
