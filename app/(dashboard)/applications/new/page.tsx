import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { ForbiddenError } from "@/lib/errors";
import { scopedPage } from "../../scoped-page";
import { ApplicationForm } from "./application-form";

export const metadata: Metadata = { title: "New application" };

export default async function NewApplicationPage() {
  return scopedPage(async (scope) => {
    if (!scope.canWrite) throw new ForbiddenError();
    return (
      <>
        <PageHeader
          title="New application"
          description="Register a client application, then get its software statement."
        />
        <Card>
          <ApplicationForm />
        </Card>
      </>
    );
  });
}
