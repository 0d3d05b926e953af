import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { requirePageContext } from "@/lib/auth/page-guard";
import { isRep } from "@/lib/auth/scope";
import { NewOrganizationForm } from "./new-organization-form";

export const metadata: Metadata = { title: "New organization" };

/** Representatives only: anyone else gets a 404, as for any page they may not see. */
export default async function NewOrganizationPage() {
  const { caller } = await requirePageContext();
  if (!isRep(caller)) notFound();
  return (
    <>
      <PageHeader
        title="New organization"
        description="Creates the organization and its first admin. Both are recorded as yours, on its behalf."
      />
      <Card>
        <NewOrganizationForm />
      </Card>
    </>
  );
}
