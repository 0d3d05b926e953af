import "server-only";
import { redirect } from "next/navigation";
import { currentScope, getCaller } from "./caller";
import type { Caller, OrgScope } from "./scope";

/**
 * For dashboard pages: the caller and the organization being shown. A session that the database no longer
 * honours (disabled user, changed password) is sent to sign in again.
 */
export async function requirePageContext(): Promise<{ caller: Caller; scope: OrgScope | null }> {
  const caller = await getCaller();
  if (!caller) redirect("/login?reason=session");
  return { caller, scope: await currentScope(caller) };
}
