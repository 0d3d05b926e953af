import { Building2, Plus } from "lucide-react";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/page-header";
import type { OrgRef } from "@/lib/auth/scope";
import { selectOrganizationAction } from "./actions";

/** What a representative sees until they choose an organization to act for. */
export function OrgChooser({ organizations }: { organizations: OrgRef[] }) {
  return (
    <>
      <PageHeader
        title="Choose an organization"
        description="As a support representative you can act for any organization. Everything you do is recorded as yours, on its behalf."
      />
      <Link href="/organizations/new" className={buttonClass("secondary", "mb-4")}>
        <Plus aria-hidden className="h-4 w-4" /> New organization
      </Link>
      <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {organizations.map((org) => (
          <li key={org.id}>
            <form action={selectOrganizationAction.bind(null, org.slug)}>
              <button
                type="submit"
                className="flex w-full items-center gap-3 rounded-lg border border-zinc-200 bg-white p-4 text-left shadow-sm hover:border-indigo-300 hover:bg-indigo-50/40 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-indigo-700"
              >
                <Building2 aria-hidden className="h-5 w-5 text-zinc-400" />
                <span className="flex-1">
                  <span className="block font-medium">Act for {org.name}</span>
                  <span className="block font-mono text-xs text-zinc-500">{org.slug}</span>
                </span>
              </button>
            </form>
          </li>
        ))}
      </ul>
    </>
  );
}
