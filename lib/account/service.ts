import "server-only";
import { z } from "zod";
import { withAudit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/scope";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { refundSignInAttempt, takeSignInAttempt, tooManyAttempts } from "@/lib/auth/sign-in-limiter";
import { RateLimitedError, ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";

export const passwordChangeSchema = z
  .object({
    current: z
      .string({ message: "Enter your current password." })
      .min(1, "Enter your current password.")
      .max(1024),
    next: z
      .string({ message: "Choose a new password." })
      .min(12, "Use at least 12 characters.")
      .max(200, "Use at most 200 characters."),
    confirm: z.string({ message: "Repeat the new password." }).max(200),
  })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: "The two new passwords differ." })
  .refine((v) => v.next !== v.current, {
    path: ["next"],
    message: "Choose a password you have not been using.",
  });

/**
 * Changes the caller's own password. Every session of the account ends with it (the session version moves
 * on), this one included: whoever had the old password is out at their next request. Checking the current
 * password is a sign-in attempt (./sign-in-limiter.ts): a stolen session gets no more guesses than sign-in.
 */
export async function changeOwnPassword(caller: Caller, input: unknown): Promise<void> {
  const valid = parseInput(passwordChangeSchema, input);
  const { current, next } = valid;
  const ctx = {
    actor: { userId: caller.user.id, email: caller.user.email, role: caller.user.role, actingFor: false },
    request: caller.request,
  };
  // The point is taken before the password is checked, and given back only once it proved right.
  const retryAfter = await takeSignInAttempt(caller.user.email, caller.request.ip);
  if (retryAfter > 0) throw new RateLimitedError(tooManyAttempts(retryAfter), retryAfter);
  // The slow hash is computed before the transaction, which then only writes.
  const nextHash = await hashPassword(next);
  await withAudit(ctx, async (tx, audit) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: caller.user.id } });
    if (!(await verifyPassword(user.passwordHash, current)))
      throw new ValidationError("Check the highlighted fields.", {
        current: ["That is not your current password."],
      });
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash: nextHash, sessionVersion: { increment: 1 } },
    });
    await audit({
      action: "user.password_changed",
      organizationId: null,
      targetType: "user",
      targetId: user.id,
    });
  });
  // After the commit: the limiter writes outside this transaction (SQLite has one writer at a time).
  await refundSignInAttempt(caller.user.email, caller.request.ip);
}
