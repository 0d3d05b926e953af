"use server";

import { redirect } from "next/navigation";
import { currentScope, requireCaller } from "@/lib/auth/caller";
import { isRep, scopeForOrg } from "@/lib/auth/scope";
import { AppError, UnauthenticatedError } from "@/lib/errors";
import { find, type Match } from "@/lib/find/service";
import type { JwtVerdict } from "@/lib/find/jwt";
import { storyHref } from "@/lib/find/paths";
import { formArgument, previousState, serverAction } from "@/lib/server-action";
import { showOrganization } from "../current-org";

export type FindState = {
  message?: string;
  matches?: Match[];
  jwt?: JwtVerdict | null;
  /** What was typed, to show it again (never a pasted JWT: that is not sent back). */
  q?: string;
};

/**
 * Find, from the box in the header (a POST: a pasted JWT never goes into a URL or a log). One match opens its
 * story; a representative whose match is in another organization starts acting for it first (recorded).
 */
export const findAction = serverAction(
  [previousState, formArgument],
  async (_previous, form): Promise<FindState> => {
    let caller;
    try {
      caller = await requireCaller();
    } catch (error) {
      if (error instanceof UnauthenticatedError) redirect("/login");
      throw error;
    }
    const scope = await currentScope(caller);
    const q = form.get("q");
    let result;
    try {
      result = await find(caller, scope, { q });
    } catch (error) {
      if (error instanceof AppError) return { message: error.message };
      throw error;
    }
    const shown = result.jwt ? undefined : String(q ?? "").trim();
    const [only] = result.matches;
    if (result.matches.length === 1 && only && (!result.jwt || result.jwt.verifies)) {
      const target = only.organization;
      if (target && isRep(caller) && scope?.org.id !== target.id)
        await showOrganization(await scopeForOrg(caller, target.slug, { recordAccess: false }));
      redirect(storyHref(only));
    }
    return {
      matches: result.matches,
      jwt: result.jwt,
      q: shown,
      message: result.matches.length
        ? undefined
        : result.jwt
          ? "Nothing stored here is this JWT."
          : "Nothing found. Find looks for client ids, request ids (trace), statement ids, jti and fingerprints, access token jti, application ids and names, and member emails.",
    };
  },
);
