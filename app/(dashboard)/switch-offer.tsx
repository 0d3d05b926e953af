import { ArrowRightLeft } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { OrgRef } from "@/lib/auth/scope";
import { switchOrganizationAction } from "./actions";

/** A representative opened something another organization holds: offer to act for that one, and come back here. */
export function SwitchOffer({ organization, returnTo }: { organization: OrgRef; returnTo: string }) {
  return (
    <div
      role="status"
      className="rounded-lg border border-indigo-200 bg-indigo-50 p-6 text-sm text-indigo-950 dark:border-indigo-900 dark:bg-indigo-950/40 dark:text-indigo-100"
    >
      <h1 className="text-base font-semibold">This belongs to {organization.name}</h1>
      <p className="mt-1">
        You are not acting for {organization.name} now. Act for it to open this page; it is recorded as you,
        on its behalf.
      </p>
      <form action={switchOrganizationAction.bind(null, organization.slug, returnTo)} className="mt-4">
        <Button type="submit">
          <ArrowRightLeft aria-hidden className="h-4 w-4" /> Act for {organization.name}
        </Button>
      </form>
    </div>
  );
}
