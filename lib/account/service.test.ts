import { beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";

freshTestDatabase();
const { db } = await import("@/lib/db");
const { hashPassword, verifyPassword } = await import("@/lib/auth/password");
const { changeOwnPassword } = await import("./service");
const { ValidationError } = await import("@/lib/errors");
type Caller = import("@/lib/auth/scope").Caller;

const OLD = "the-old-password-1";
const NEW = "a-brand-new-password-2";
let caller: Caller;

beforeAll(async () => {
  const user = await db.user.create({
    data: { email: "me@acme.test", name: "Me", passwordHash: await hashPassword(OLD) },
  });
  caller = {
    user: { id: user.id, email: user.email, name: user.name, role: "USER" },
    memberships: [],
    request: { requestId: "r", ip: "127.0.0.1", userAgent: "vitest" },
  };
});

const fieldErrors = async (input: unknown) => {
  try {
    await changeOwnPassword(caller, input);
  } catch (error) {
    if (error instanceof ValidationError) return error.fieldErrors;
    throw error;
  }
  return null;
};

describe("changing one's own password", () => {
  it("refuses a wrong current password, a short or repeated one, and a mismatched confirmation, changing nothing", async () => {
    const before = await db.user.findUniqueOrThrow({ where: { id: caller.user.id } });
    expect(await fieldErrors({ current: "wrong-password", next: NEW, confirm: NEW })).toHaveProperty(
      "current",
    );
    expect(await fieldErrors({ current: OLD, next: "short", confirm: "short" })).toHaveProperty("next");
    expect(await fieldErrors({ current: OLD, next: OLD, confirm: OLD })).toHaveProperty("next");
    expect(await fieldErrors({ current: OLD, next: NEW, confirm: NEW + "x" })).toHaveProperty("confirm");
    expect(await fieldErrors({})).toMatchObject({ current: expect.any(Array), next: expect.any(Array) });
    const after = await db.user.findUniqueOrThrow({ where: { id: caller.user.id } });
    expect(after).toEqual(before);
  });

  it("stores only the new hash, ends every session, and audits it without the password", async () => {
    const before = await db.user.findUniqueOrThrow({ where: { id: caller.user.id } });
    await changeOwnPassword(caller, { current: OLD, next: NEW, confirm: NEW });
    const after = await db.user.findUniqueOrThrow({ where: { id: caller.user.id } });
    expect(await verifyPassword(after.passwordHash, NEW)).toBe(true);
    expect(await verifyPassword(after.passwordHash, OLD)).toBe(false);
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "user.password_changed" } });
    expect(event).toMatchObject({ actorUserId: caller.user.id, targetId: caller.user.id });
    expect(JSON.stringify(event)).not.toContain(NEW);
    expect(JSON.stringify(event)).not.toContain(OLD);
  });
});
