import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { ForbiddenError } from "@/lib/errors";
import { scopedPage } from "../../scoped-page";
import { UploadForm } from "./upload-form";

export const metadata: Metadata = { title: "Upload statement" };

export default async function UploadStatementPage() {
  return scopedPage(async (scope) => {
    if (!scope.canWrite) throw new ForbiddenError("Viewers can read statements but not upload them.");
    return (
      <>
        <PageHeader
          title="Upload a statement"
          description="A statement another issuer signed. It is verified against the issuer's keys (Settings → Trusted issuers) before anything is stored."
        />
        <Card>
          <UploadForm />
        </Card>
      </>
    );
  });
}
