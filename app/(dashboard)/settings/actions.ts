"use server";

import { revalidatePath } from "next/cache";
import { toActionState, type ActionState } from "@/lib/action-state";
import { requireCurrentScope } from "@/lib/auth/caller";
import { addTrustedIssuer, removeTrustedIssuer } from "@/lib/issuers/service";
import { updateOrganizationSettings } from "@/lib/organizations/service";
import { actionArguments, formArgument, idArgument, previousState } from "@/lib/server-action";

export async function updateOrganizationAction(prev: ActionState, data: FormData): Promise<ActionState> {
  const [, form] = actionArguments([previousState, formArgument], [prev, data]);
  return toActionState(async () => {
    const org = await updateOrganizationSettings(await requireCurrentScope(), {
      name: form.get("name"),
      tokenLifetimeSeconds: form.get("tokenLifetimeSeconds") || undefined,
    });
    revalidatePath("/", "layout");
    return `Saved. The organization is now called ${org.name}.`;
  });
}

export async function addIssuerAction(prev: ActionState, data: FormData): Promise<ActionState> {
  const [, form] = actionArguments([previousState, formArgument], [prev, data]);
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
}

export async function removeIssuerAction(issuerId: string): Promise<ActionState> {
  const [id] = actionArguments([idArgument], [issuerId]);
  return toActionState(async () => {
    await removeTrustedIssuer(await requireCurrentScope(), id);
    revalidatePath("/settings/issuers");
    return "Issuer removed.";
  });
}
