import type { Metadata } from "next";
import { formatCount } from "@/components/format";
import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { DetailsList } from "@/components/details-list";
import { countMembers } from "@/lib/members/service";
import { organizationSettings } from "@/lib/organizations/service";
import { scopedPage } from "../scoped-page";
import { OrganizationForm } from "./organization-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  return scopedPage(async (scope) => {
    const [members, settings] = await Promise.all([countMembers(scope), organizationSettings(scope)]);
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
                ["Access token lifetime", `${formatCount(settings.tokenLifetimeSeconds)} seconds`],
              ]}
            />
          )}
        </Card>
        <p className="mt-6 text-sm text-zinc-600 dark:text-zinc-400">
          {members} active {members === 1 ? "member" : "members"}.{" "}
          <Link
            href="/settings/members"
            className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
          >
            Manage members
          </Link>
        </p>
      </>
    );
  });
}
