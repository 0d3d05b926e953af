"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { changeOwnPassword } from "@/lib/account/service";
import { toActionState, type ActionState } from "@/lib/action-state";
import { requireCaller } from "@/lib/auth/caller";
import { ORG_COOKIE } from "@/lib/auth/caller";
import { endOtherSessions, endOwnSession } from "@/lib/auth/sessions";
import { formArgument, idArgument, previousState, serverAction } from "@/lib/server-action";

export const changePasswordAction = serverAction(
  [previousState, formArgument],
  async (_prev, form): Promise<ActionState> => {
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
  },
);

export const endSessionAction = serverAction([idArgument], async (id): Promise<ActionState> => {
  return toActionState(async () => {
    await endOwnSession(await requireCaller(), id);
    revalidatePath("/account");
    return "Session ended.";
  });
});

export const endOtherSessionsAction = serverAction([], async (): Promise<ActionState> => {
  return toActionState(async () => {
    const ended = await endOtherSessions(await requireCaller());
    revalidatePath("/account");
    return ended === 1 ? "1 other session ended." : `${ended} other sessions ended.`;
  });
});
