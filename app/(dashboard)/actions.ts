"use server";

import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { signOut } from "@/lib/auth";
import { ORG_COOKIE, requireCaller } from "@/lib/auth/caller";
import { scopeForOrg } from "@/lib/auth/scope";
import { NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { idArgument, serverAction } from "@/lib/server-action";
import { showOrganization } from "./current-org";

/**
 * Form actions with nothing to return: a signed-out caller goes to the sign-in page, an organization the
 * caller may not see is the 404 page.
 */
async function orFallback<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UnauthenticatedError) redirect("/login");
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export const selectOrganizationAction = serverAction([idArgument], async (slug): Promise<void> => {
  await showOrganization(await orFallback(async () => scopeForOrg(await requireCaller(), slug)));
  redirect("/");
});

export const stopActingAction = serverAction([], async (): Promise<void> => {
  await orFallback(requireCaller);
  (await cookies()).delete(ORG_COOKIE);
  redirect("/");
});

export const signOutAction = serverAction([], async (): Promise<void> => {
  (await cookies()).delete(ORG_COOKIE);
  await signOut({ redirectTo: "/login" });
});
