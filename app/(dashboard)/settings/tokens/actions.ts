"use server";

import { revalidatePath } from "next/cache";
import { toActionState, type ActionState } from "@/lib/action-state";
import { requireCurrentScope } from "@/lib/auth/caller";
import { formArgument, idArgument, previousState, serverAction } from "@/lib/server-action";
import { createToken, revokeToken } from "@/lib/tokens/service";

export type TokenState = ActionState & { secret?: string };

export const createTokenAction = serverAction(
  [previousState, formArgument],
  async (_prev, form): Promise<TokenState> => {
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
  },
);

export const revokeTokenAction = serverAction([idArgument], async (id): Promise<ActionState> => {
  return toActionState(async () => {
    await revokeToken(await requireCurrentScope(), id);
    revalidatePath("/settings/tokens");
    return "Token revoked.";
  });
});
