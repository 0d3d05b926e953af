import type { Metadata } from "next";
import Link from "next/link";
import { FileKey2, Upload } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { Pager } from "@/components/pager";
import { StatementsTable } from "@/components/statements-table";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { applicationChoices } from "@/lib/applications/service";
import { isValidCursor } from "@/lib/pagination";
import { z } from "zod";
import { listStatements, STATEMENT_SEARCH_FIELDS, statementFilterSchema } from "@/lib/statements/service";
import { scopedPage } from "../scoped-page";
import { FilterActions } from "@/components/filter-actions";

export const metadata: Metadata = { title: "Statements" };

type Search = Promise<Record<string, string | undefined>>;

const selectClass =
  "rounded-md border-0 bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-indigo-500 dark:bg-zinc-950 dark:ring-zinc-700";

export default async function StatementsPage({ searchParams }: { searchParams: Search }) {
  const raw = await searchParams;
  const filters = statementFilterSchema.safeParse({ ...raw, limit: 25 });
  // Like the other lists: filters that do not parse, or a cursor this server did not write, are ignored.
  const { status, applicationId, q, cursor } =
    filters.success && isValidCursor(filters.data.cursor)
      ? filters.data
      : { status: undefined, applicationId: undefined, q: undefined, cursor: undefined };
  return scopedPage(async (scope) => {
    const [page, apps] = await Promise.all([
      listStatements(scope, { status, applicationId, q, cursor, limit: 25 }),
      applicationChoices(scope),
    ]);
    const filtered = Boolean(status || applicationId || q);
    return (
      <>
        <PageHeader
          title="Statements"
          description="Software statements your applications present when they register: generated here or uploaded from another issuer."
          actions={
            scope.canWrite && (
              <Link href="/statements/upload" className={buttonClass()}>
                <Upload aria-hidden className="h-4 w-4" /> Upload statement
              </Link>
            )
          }
        />
        <form role="search" aria-label="Filter statements" className="mb-4 flex flex-wrap items-end gap-3">
          <label className="text-sm">
            <span className="mb-1 block font-medium">Status</span>
            <select name="status" defaultValue={status ?? ""} className={selectClass}>
              <option value="">Any status</option>
              <option value="active">Active</option>
              <option value="revoked">Revoked</option>
            </select>
          </label>
          <label className="text-sm">
            <span className="mb-1 block font-medium">Application</span>
            <select name="applicationId" defaultValue={applicationId ?? ""} className={selectClass}>
              <option value="">All applications</option>
              {apps.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.version})
                </option>
              ))}
            </select>
          </label>
          <div className="min-w-64 flex-1 text-sm">
            <label className="block">
              <span className="mb-1 block font-medium">Search</span>
              <input
                type="search"
                name="q"
                defaultValue={q ?? ""}
                minLength={3}
                placeholder={`Part of a ${STATEMENT_SEARCH_FIELDS}`}
                aria-describedby="statement-search-hint"
                className={`${selectClass} w-full`}
              />
            </label>
            {/* Outside the label: the field is named "Search", and described by this. */}
            <span id="statement-search-hint" className="mt-1 block text-xs text-zinc-500">
              Any part of a {STATEMENT_SEARCH_FIELDS}, 3 characters or more.
            </span>
          </div>
          <FilterActions clearHref="/statements" filtered={filtered} />
        </form>
        {!filters.success && (
          <p role="alert" className="mb-4 text-sm text-red-600">
            {z.flattenError(filters.error).fieldErrors.q?.[0] ??
              "Some filters were not valid and were ignored."}
          </p>
        )}
        {page.items.length === 0 ? (
          <EmptyState
            title={filtered ? "No statement matches these filters" : "No statements yet"}
            icon={<FileKey2 className="h-8 w-8" />}
          >
            {filtered
              ? "Try another status, application or search."
              : "Open an application and use “Get software statement”, or upload one another issuer signed."}
          </EmptyState>
        ) : (
          <Card>
            <StatementsTable rows={page.items} />
            <Pager
              basePath="/statements"
              params={{ status, applicationId, q }}
              nextCursor={page.nextCursor}
              hasCursor={Boolean(cursor)}
            />
          </Card>
        )}
      </>
    );
  });
}
