import type { Metadata } from "next";
import { AuditEventList } from "@/components/audit-event-list";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/page-header";
import { latestAuditEvents } from "@/lib/audit/query";
import { scopedPage } from "../scoped-page";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  return scopedPage(async (scope) => {
    const events = await latestAuditEvents(scope.org.id, 50);
    return (
      <>
        <PageHeader
          title="Audit trail"
          description="Every change in this organization, append-only and hash-chained. Showing the 50 newest events."
        />
        <p className="mb-4 rounded-md bg-zinc-100 px-3 py-2 text-sm text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
          Filters, event details, export and integrity verification are not built yet.
        </p>
        <Card>
          <AuditEventList events={events} />
        </Card>
      </>
    );
  });
}
