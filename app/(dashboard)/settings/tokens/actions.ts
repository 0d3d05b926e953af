"use server";

import { revalidatePath } from "next/cache";
import { toActionState, type ActionState } from "@/lib/action-state";
import { requireCurrentScope } from "@/lib/auth/caller";
import { actionArguments, formArgument, idArgument, previousState } from "@/lib/server-action";
import { createToken, revokeToken } from "@/lib/tokens/service";

export type TokenState = ActionState & { secret?: string };

export async function createTokenAction(prev: TokenState, data: FormData): Promise<TokenState> {
  const [, form] = actionArguments([previousState, formArgument], [prev, data]);
  let secret: string | undefined;
  const state = await toActionState(async () => {
    const t = await createToken(await requireCurrentScope(), {
      name: form.get("name"),
      access: form.get("access"),
      expiresInDays: form.get("expiresInDays") || undefined,
    });
    secret = t.token;
    revalidatePath("/settings/tokens");
    return `Token ${t.name} created. Copy it now: it is shown only once.`;
  });
  return { ...state, secret };
}

export async function revokeTokenAction(tokenId: string): Promise<ActionState> {
  const [id] = actionArguments([idArgument], [tokenId]);
  return toActionState(async () => {
    await revokeToken(await requireCurrentScope(), id);
    revalidatePath("/settings/tokens");
    return "Token revoked.";
  });
}
