"use server";

import { revalidatePath } from "next/cache";
import { formatRole } from "@/components/format";
import { toActionState, type ActionState } from "@/lib/action-state";
import { requireCaller, requireCurrentScope } from "@/lib/auth/caller";
import { addMember, changeMemberRole, disableMember } from "@/lib/members/service";
import { createOrganization } from "@/lib/organizations/service";
import { formArgument, idArgument, previousState, serverAction } from "@/lib/server-action";

/** A form's state plus a secret to show once (a temporary password), never stored in clear. */
export type SecretState = ActionState & { secret?: string };

export const addMemberAction = serverAction(
  [previousState, formArgument],
  async (_prev, form): Promise<SecretState> => {
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
  },
);

export const changeRoleAction = serverAction(
  [idArgument, previousState, formArgument],
  async (userId, _prev, form) => {
    return toActionState(async () => {
      const m = await changeMemberRole(await requireCurrentScope(), userId, form.get("role"));
      revalidatePath("/settings/members");
      return `Role changed to ${formatRole(m.role)}.`;
    });
  },
);

export const disableMemberAction = serverAction(
  [idArgument, previousState],
  async (userId, _prev): Promise<ActionState> => {
    return toActionState(async () => {
      const r = await disableMember(await requireCurrentScope(), userId);
      revalidatePath("/settings/members");
      return r.sessionsEnded ? "Disabled: their sessions have stopped." : "Removed from this organization.";
    });
  },
);

export const createOrganizationAction = serverAction(
  [previousState, formArgument],
  async (_prev, form): Promise<SecretState> => {
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
  },
);
