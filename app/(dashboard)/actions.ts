"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { notFound, redirect } from "next/navigation";
import { signOut } from "@/lib/auth";
import { currentScope, ORG_COOKIE, requireCaller } from "@/lib/auth/caller";
import { scopeForOrg } from "@/lib/auth/scope";
import { recordActingStopped } from "@/lib/organizations/service";
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

async function actFor(slug: string, returnTo = "/"): Promise<never> {
  // Entering is one event (support.acting_started, written by showOrganization), not also support.accessed.
  await showOrganization(
    await orFallback(async () => scopeForOrg(await requireCaller(), slug, { recordAccess: false })),
  );
  redirect(returnTo);
}

export const selectOrganizationAction = serverAction([idArgument], async (slug): Promise<void> =>
  actFor(slug),
);

/** A path on this site to come back to after switching ("/statements/…"), never another site's. */
const returnPath = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])/);

/** From a page another organization holds (switch-offer.tsx): act for that one, and open the page again. */
export const switchOrganizationAction = serverAction(
  [idArgument, returnPath],
  async (slug, returnTo): Promise<void> => actFor(slug, returnTo),
);

export const stopActingAction = serverAction([], async (): Promise<void> => {
  const scope = await orFallback(async () => currentScope(await requireCaller()));
  if (scope) await recordActingStopped(scope);
  (await cookies()).delete(ORG_COOKIE);
  redirect("/");
});

export const signOutAction = serverAction([], async (): Promise<void> => {
  (await cookies()).delete(ORG_COOKIE);
  await signOut({ redirectTo: "/login" });
});
