"use server";

import { revalidatePath } from "next/cache";
import { toActionState, type ActionState } from "@/lib/action-state";
import { requireCurrentScope } from "@/lib/auth/caller";
import { addTrustedIssuer, removeTrustedIssuer } from "@/lib/issuers/service";
import { updateOrganizationSettings } from "@/lib/organizations/service";
import { formArgument, idArgument, previousState, serverAction } from "@/lib/server-action";

export const updateOrganizationAction = serverAction(
  [previousState, formArgument],
  async (_prev, form): Promise<ActionState> => {
    return toActionState(async () => {
      const org = await updateOrganizationSettings(await requireCurrentScope(), {
        name: form.get("name"),
        tokenLifetimeSeconds: form.get("tokenLifetimeSeconds") || undefined,
      });
      revalidatePath("/", "layout");
      return `Saved. The organization is now called ${org.name}.`;
    });
  },
);

export const addIssuerAction = serverAction(
  [previousState, formArgument],
  async (_prev, form): Promise<ActionState> => {
    const kind = form.get("kind") === "pem" ? "pem" : "jwks";
    const keys = String(form.get("keys") ?? "");
    const state = await toActionState(async () => {
      const issuer = await addTrustedIssuer(await requireCurrentScope(), {
        iss: form.get("iss"),
        [kind]: keys,
      });
      revalidatePath("/settings/issuers");
      return `Statements from ${issuer.iss} can now be uploaded.`;
    });
    if (state.fieldErrors)
      state.fieldErrors.keys = [...(state.fieldErrors.keys ?? []), ...(state.fieldErrors[kind] ?? [])];
    return state.ok
      ? state
      : { ...state, values: { iss: [String(form.get("iss") ?? "")], keys: [keys], kind: [kind] } };
  },
);

export const removeIssuerAction = serverAction([idArgument], async (id): Promise<ActionState> => {
  return toActionState(async () => {
    await removeTrustedIssuer(await requireCurrentScope(), id);
    revalidatePath("/settings/issuers");
    return "Issuer removed.";
  });
});
