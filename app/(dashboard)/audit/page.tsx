import type { Metadata } from "next";
import { AuditEventList } from "@/components/audit-event-list";
import { PageHeader } from "@/components/page-header";
import { Pager } from "@/components/pager";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { auditPageSchema, listAuditEvents } from "@/lib/audit/query";
import { isValidCursor } from "@/lib/pagination";
import { scopedPage } from "../scoped-page";
import { AuditFilters, type AuditFilterValues } from "./audit-filters";
import { VerifyIntegrity } from "./verify-integrity";

export const metadata: Metadata = { title: "Audit" };

type Search = Promise<Record<string, string | string[] | undefined>>;

const FILTERS = ["action", "actor", "targetId", "since", "until"] as const;
const PAGE_SIZE = 50;

/** The filters as the URL gave them (strings, empty ones dropped), or none at all if any is invalid. */
function readFilters(raw: Awaited<Search>) {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
  const values: AuditFilterValues = Object.fromEntries(FILTERS.map((k) => [k, one(raw[k])]));
  const cursor = one(raw.cursor);
  const valid =
    auditPageSchema.safeParse({ ...values, cursor, limit: PAGE_SIZE }).success && isValidCursor(cursor);
  return valid ? { values, cursor, valid } : { values: {}, cursor: undefined, valid };
}

export default async function AuditPage({ searchParams }: { searchParams: Search }) {
  const { values, cursor, valid } = readFilters(await searchParams);
  return scopedPage(async (scope) => {
    const page = await listAuditEvents(scope, { ...values, cursor, limit: PAGE_SIZE });
    const filtered = Object.values(values).some(Boolean);
    const exportHref = (format: "csv" | "ndjson") =>
      `/api/admin/v1/orgs/${scope.org.slug}/audit/export?${new URLSearchParams({
        format,
        ...Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => Boolean(e[1]))),
      })}`;
    return (
      <>
        <PageHeader
          title="Audit trail"
          description="Every change in this organization, newest first: append-only, and each event carries the hash of the one before."
          actions={<VerifyIntegrity />}
        />
        <AuditFilters values={values} filtered={filtered} />
        {!valid && (
          <p role="alert" className="mb-4 text-sm text-red-600">
            Some filters were not valid and were ignored.
          </p>
        )}
        <div className="mb-4 flex flex-wrap items-center gap-3 text-sm">
          <span className="text-zinc-600 dark:text-zinc-400">
            Export {filtered ? "the filtered events" : "every event"}:
          </span>
          <a href={exportHref("csv")} download className={buttonClass("secondary")}>
            Export CSV
          </a>
          <a href={exportHref("ndjson")} download className={buttonClass("secondary")}>
            Export NDJSON
          </a>
        </div>
        <Card>
          <AuditEventList
            events={page.items}
            orgName={scope.org.name}
            emptyTitle={filtered ? "No event matches these filters" : "No events yet"}
            emptyText={
              filtered
                ? "Try another action, actor, object or date range."
                : "Changes made in this organization will be listed here."
            }
          />
          <Pager basePath="/audit" params={values} nextCursor={page.nextCursor} hasCursor={Boolean(cursor)} />
        </Card>
      </>
    );
  });
}
