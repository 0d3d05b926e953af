"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { signOut } from "@/lib/auth";
import { ORG_COOKIE, requireCaller } from "@/lib/auth/caller";
import { scopeForOrg } from "@/lib/auth/scope";
import { recordActingFor } from "@/lib/organizations/service";

export async function selectOrganizationAction(slug: string): Promise<void> {
  const scope = await scopeForOrg(await requireCaller(), String(slug).slice(0, 100));
  const secure = (await headers()).get("x-forwarded-proto") === "https";
  (await cookies()).set(ORG_COOKIE, scope.org.slug, { httpOnly: true, sameSite: "lax", secure, path: "/" });
  await recordActingFor(scope);
  redirect("/");
}

export async function stopActingAction(): Promise<void> {
  await requireCaller();
  (await cookies()).delete(ORG_COOKIE);
  redirect("/");
}

export async function signOutAction(): Promise<void> {
  (await cookies()).delete(ORG_COOKIE);
  await signOut({ redirectTo: "/login" });
}
