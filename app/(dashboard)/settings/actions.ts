"use server";

import { revalidatePath } from "next/cache";
import { toActionState, type ActionState } from "@/lib/action-state";
import { currentScope, requireCaller } from "@/lib/auth/caller";
import { NotFoundError } from "@/lib/errors";
import { updateOrganizationSettings } from "@/lib/organizations/service";

export async function updateOrganizationAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return toActionState(async () => {
    const scope = await currentScope(await requireCaller());
    if (!scope) throw new NotFoundError("Organization");
    const org = await updateOrganizationSettings(scope, { name: form.get("name") });
    revalidatePath("/", "layout");
    return `Saved. The organization is now called ${org.name}.`;
  });
}
