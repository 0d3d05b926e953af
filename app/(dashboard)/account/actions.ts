"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { changeOwnPassword } from "@/lib/account/service";
import { toActionState, type ActionState } from "@/lib/action-state";
import { requireCaller } from "@/lib/auth/caller";
import { ORG_COOKIE } from "@/lib/auth/caller";
import { actionArguments, formArgument, previousState } from "@/lib/server-action";

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
