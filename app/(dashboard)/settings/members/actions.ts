"use server";

import { revalidatePath } from "next/cache";
import { toActionState, type ActionState } from "@/lib/action-state";
import { requireCaller, requireCurrentScope } from "@/lib/auth/caller";
import { addMember, changeMemberRole, disableMember } from "@/lib/members/service";
import { createOrganization } from "@/lib/organizations/service";
import { actionArguments, formArgument, idArgument, previousState } from "@/lib/server-action";

/** A form's state plus a secret to show once (a temporary password), never stored in clear. */
export type SecretState = ActionState & { secret?: string };

export async function addMemberAction(prev: SecretState, data: FormData): Promise<SecretState> {
  const [, form] = actionArguments([previousState, formArgument], [prev, data]);
  let secret: string | undefined;
  const state = await toActionState(async () => {
    const m = await addMember(await requireCurrentScope(), {
      email: form.get("email"),
      name: form.get("name"),
      role: form.get("role"),
    });
    secret = m.temporaryPassword;
    revalidatePath("/settings/members");
    return secret
      ? `${m.email} can now sign in with this temporary password. It is shown only once.`
      : `${m.email} already had an account: they can sign in with their own password.`;
  });
  return { ...state, secret };
}

export async function changeRoleAction(user: string, prev: ActionState, data: FormData) {
  const [userId, , form] = actionArguments([idArgument, previousState, formArgument], [user, prev, data]);
  return toActionState(async () => {
    const m = await changeMemberRole(await requireCurrentScope(), userId, form.get("role"));
    revalidatePath("/settings/members");
    return `Role changed to ${m.role === "ADMIN" ? "Admin" : "Viewer"}.`;
  });
}

export async function disableMemberAction(user: string, prev: ActionState): Promise<ActionState> {
  const [userId] = actionArguments([idArgument, previousState], [user, prev]);
  return toActionState(async () => {
    const r = await disableMember(await requireCurrentScope(), userId);
    revalidatePath("/settings/members");
    return r.sessionsEnded ? "Disabled: their sessions have stopped." : "Removed from this organization.";
  });
}

export async function createOrganizationAction(prev: SecretState, data: FormData): Promise<SecretState> {
  const [, form] = actionArguments([previousState, formArgument], [prev, data]);
  let secret: string | undefined;
  const state = await toActionState(async () => {
    const org = await createOrganization(await requireCaller(), {
      slug: form.get("slug"),
      name: form.get("name"),
      admin: { email: form.get("adminEmail"), name: form.get("adminName") },
    });
    secret = org.admin.temporaryPassword;
    revalidatePath("/", "layout");
    return `${org.name} (${org.slug}) was created with ${org.admin.email} as its admin.`;
  });
  if (state.fieldErrors?.admin)
    state.fieldErrors = { ...state.fieldErrors, adminEmail: state.fieldErrors.admin };
  return { ...state, secret };
}
