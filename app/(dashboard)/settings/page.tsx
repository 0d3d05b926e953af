import type { Metadata } from "next";
import { Card, CardHeader } from "@/components/ui/card";
import { DetailsList } from "@/components/details-list";
import { listMembers } from "@/lib/members/service";
import { organizationSettings } from "@/lib/organizations/service";
import { scopedPage } from "../scoped-page";
import { OrganizationForm } from "./organization-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  return scopedPage(async (scope) => {
    const [members, settings] = await Promise.all([listMembers(scope), organizationSettings(scope)]);
    return (
      <>
        <Card>
          <CardHeader title="Organization" description={`Slug (requestor id): ${scope.org.slug}`} />
          {scope.canWrite ? (
            <OrganizationForm name={settings.name} tokenLifetimeSeconds={settings.tokenLifetimeSeconds} />
          ) : (
            <DetailsList
              items={[
                ["Organization name", settings.name],
                ["Access token lifetime", `${settings.tokenLifetimeSeconds.toLocaleString("en")} seconds`],
              ]}
            />
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
