import type { Metadata } from "next";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/page-header";
import { listMembers } from "@/lib/members/service";
import { scopedPage } from "../scoped-page";
import { OrganizationForm } from "./organization-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  return scopedPage(async (scope) => {
    const members = await listMembers(scope);
    return (
      <>
        <PageHeader title="Settings" description={`Organization settings for ${scope.org.name}.`} />
        <Card>
          <CardHeader title="Organization" description={`Slug (requestor id): ${scope.org.slug}`} />
          {scope.canWrite ? (
            <OrganizationForm name={scope.org.name} />
          ) : (
            <dl className="p-5 text-sm">
              <dt className="font-medium">Organization name</dt>
              <dd className="mt-1 text-zinc-700 dark:text-zinc-300">{scope.org.name}</dd>
            </dl>
          )}
        </Card>
        <Card className="mt-6">
          <CardHeader
            title="Members"
            description="Adding members, changing roles and disabling accounts is not built yet."
          />
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {members.map((m) => (
              <li key={m.id} className="flex items-center justify-between px-5 py-3 text-sm">
                <span>
                  <span className="font-medium">{m.name}</span>
                  <span className="ml-2 text-zinc-500">{m.email}</span>
                  {m.disabled && <span className="ml-2 text-xs text-red-600">disabled</span>}
                </span>
                <span className="rounded bg-zinc-100 px-2 py-0.5 text-xs font-medium dark:bg-zinc-800">
                  {m.role === "ADMIN" ? "Admin" : "Viewer"}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      </>
    );
  });
}
