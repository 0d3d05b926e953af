import "server-only";
import { cookies, headers } from "next/headers";
import { ORG_COOKIE } from "@/lib/auth/caller";
import type { OrgScope } from "@/lib/auth/scope";
import { recordActingFor } from "@/lib/organizations/service";

/** Makes the scope's organization the one the dashboard shows; a representative starting to act for it is audited. */
export async function showOrganization(scope: OrgScope): Promise<void> {
  const secure = (await headers()).get("x-forwarded-proto") === "https";
  (await cookies()).set(ORG_COOKIE, scope.org.slug, { httpOnly: true, sameSite: "lax", secure, path: "/" });
  await recordActingFor(scope);
}
