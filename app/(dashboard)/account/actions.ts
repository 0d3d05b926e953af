"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { changeOwnPassword } from "@/lib/account/service";
import { toActionState, type ActionState } from "@/lib/action-state";
import { requireCaller } from "@/lib/auth/caller";
import { ORG_COOKIE } from "@/lib/auth/caller";
import { endOtherSessions, endOwnSession } from "@/lib/auth/sessions";
import { actionArguments, formArgument, idArgument, previousState } from "@/lib/server-action";

export async function changePasswordAction(prev: ActionState, data: FormData): Promise<ActionState> {
  const [, form] = actionArguments([previousState, formArgument], [prev, data]);
  const state = await toActionState(async () => {
    await changeOwnPassword(await requireCaller(), {
      current: form.get("current"),
      next: form.get("next"),
      confirm: form.get("confirm"),
    });
    return "Password changed.";
  });
  if (!state.ok) return state;
  // This session ended with the change: clear its cookies and sign in again with the new password.
  const jar = await cookies();
  for (const { name } of jar.getAll())
    if (/authjs\.session-token/.test(name) || name === ORG_COOKIE) jar.delete(name);
  redirect("/login?reason=password-changed");
}

export async function endSessionAction(sessionId: string): Promise<ActionState> {
  const [id] = actionArguments([idArgument], [sessionId]);
  return toActionState(async () => {
    await endOwnSession(await requireCaller(), id);
    revalidatePath("/account");
    return "Session ended.";
  });
}

export async function endOtherSessionsAction(): Promise<ActionState> {
  actionArguments([], []);
  return toActionState(async () => {
    const ended = await endOtherSessions(await requireCaller());
    revalidatePath("/account");
    return ended === 1 ? "1 other session ended." : `${ended} other sessions ended.`;
  });
}
