import type { Metadata } from "next";
import { Smartphone } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { Pager } from "@/components/pager";
import { RegistrationsTable } from "@/components/registrations-table";
import { Card } from "@/components/ui/card";
import { applicationChoices } from "@/lib/applications/service";
import { isValidCursor } from "@/lib/pagination";
import { listRegistrations, registrationFilterSchema } from "@/lib/registrations/service";
import { statementChoices } from "@/lib/statements/service";
import { scopedPage } from "../scoped-page";
import { RegistrationFilters, type RegistrationFilterValues } from "./registration-filters";

export const metadata: Metadata = { title: "Registrations" };

type Search = Promise<Record<string, string | string[] | undefined>>;

const FILTERS = ["statementId", "applicationId", "platform", "status", "from", "to", "simulated"] as const;

/** The filters as the URL gave them (strings, empty ones dropped), or none at all if any is invalid. */
function readFilters(raw: Awaited<Search>) {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
  const values: RegistrationFilterValues = Object.fromEntries(FILTERS.map((k) => [k, one(raw[k])]));
  if (values.simulated === "show") values.simulated = undefined;
  const cursor = one(raw.cursor);
  const valid =
    registrationFilterSchema.safeParse({ ...values, cursor, limit: 25 }).success && isValidCursor(cursor);
  return valid ? { values, cursor, valid } : { values: {}, cursor: undefined, valid };
}

export default async function RegistrationsPage({ searchParams }: { searchParams: Search }) {
  const { values, cursor, valid } = readFilters(await searchParams);
  return scopedPage(async (scope) => {
    const [page, statements, applications] = await Promise.all([
      listRegistrations(scope, { ...values, cursor, limit: 25 }),
      statementChoices(scope),
      applicationChoices(scope),
    ]);
    const filtered = Object.values(values).some(Boolean);
    return (
      <>
        <PageHeader
          title="Registrations"
          description="Every client that registered with one of your statements, newest first. A client is cut off when its statement is revoked."
        />
        <RegistrationFilters
          values={values}
          statements={statements}
          applications={applications}
          filtered={filtered}
        />
        {!valid && (
          <p role="alert" className="mb-4 text-sm text-red-600">
            Some filters were not valid and were ignored.
          </p>
        )}
        {page.items.length === 0 ? (
          <EmptyState
            title={filtered ? "No registration matches these filters" : "No registrations yet"}
            icon={<Smartphone className="h-8 w-8" />}
          >
            {filtered ? (
              "Try another statement, application, platform, status, date range or simulated setting."
            ) : (
              <>
                Clients appear here when an app registers with one of your statements via{" "}
                <code className="font-mono text-xs">POST /o/client/register</code>.
              </>
            )}
          </EmptyState>
        ) : (
          <Card>
            <RegistrationsTable rows={page.items} />
            <Pager
              basePath="/registrations"
              params={values}
              nextCursor={page.nextCursor}
              hasCursor={Boolean(cursor)}
            />
          </Card>
        )}
      </>
    );
  });
}
