import type { Caller, OrgScope } from "./scope";

/** How the caller's role reads in the interface. */
export function roleLabel(caller: Caller, scope: OrgScope | null): string {
  if (caller.user.role === "REP") return "Support representative";
  if (scope?.role === "ADMIN") return "Organization admin";
  if (scope?.role === "VIEWER") return "Viewer (read-only)";
  return "Member";
}
