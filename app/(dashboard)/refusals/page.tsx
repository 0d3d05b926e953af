import type { Metadata } from "next";
import Link from "next/link";
import { ArrowRightLeft, ShieldCheck } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { formatCount } from "@/components/format";
import { PageHeader } from "@/components/page-header";
import { RoleNotice } from "@/components/role-notice";
import { Time } from "@/components/time";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CELL, ROW, TableHead, TableScroll } from "@/components/ui/table";
import { refusalsAcrossOrganizations } from "@/lib/activity/service";
import { REFUSAL_LABELS, REFUSAL_REASONS } from "@/lib/activity/types";
import { requirePageContext } from "@/lib/auth/page-guard";
import { ForbiddenError } from "@/lib/errors";
import { switchOrganizationAction } from "../actions";

export const metadata: Metadata = { title: "Refusals" };

const WINDOWS = { "1h": { hours: 1, label: "Last hour" }, "24h": { hours: 24, label: "Last 24 hours" } };
type Window = keyof typeof WINDOWS;

type Props = { searchParams: Promise<{ window?: string }> };

/** Support's cross-organization view: whose devices are being refused now, and why. */
export default async function RefusalsPage({ searchParams }: Props) {
  const { caller } = await requirePageContext();
  const requested = (await searchParams).window;
  const window: Window = requested === "1h" ? "1h" : "24h";
  let rows;
  try {
    rows = await refusalsAcrossOrganizations(caller, WINDOWS[window].hours);
  } catch (error) {
    if (error instanceof ForbiddenError) return <RoleNotice message={error.message} />;
    throw error;
  }
  return (
    <>
      <PageHeader
        title="Refusals"
        description="Which organizations' devices the client endpoints are refusing, by reason, across every organization. Counted in whole UTC hours, the current one included."
        actions={
          <nav
            aria-label="Window"
            className="flex gap-1 rounded-md border border-zinc-200 p-1 dark:border-zinc-800"
          >
            {(Object.keys(WINDOWS) as Window[]).map((w) => (
              <Link
                key={w}
                href={`/refusals?window=${w}`}
                aria-current={w === window ? "page" : undefined}
                className={`rounded px-3 py-1 text-sm font-medium ${
                  w === window
                    ? "bg-indigo-600 text-white"
                    : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
                }`}
              >
                {WINDOWS[w].label}
              </Link>
            ))}
          </nav>
        }
      />
      {rows.length === 0 ? (
        <EmptyState title="No refusals" icon={<ShieldCheck aria-hidden className="h-6 w-6" />}>
          No organization&apos;s devices were refused in this window.
        </EmptyState>
      ) : (
        <Card>
          <TableScroll>
            <table className="w-full text-sm" data-testid="refusals-table">
              <caption className="sr-only">
                Refusals by organization and reason, {WINDOWS[window].label}
              </caption>
              <TableHead
                columns={[
                  "Organization",
                  ...REFUSAL_REASONS.map((r) => ({ label: REFUSAL_LABELS[r], align: "right" as const })),
                  { label: "Total", align: "right" },
                  "Last refusal",
                  "",
                ]}
              />
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {rows.map((row) => (
                  <tr key={row.organization.id} className={ROW} data-org={row.organization.slug}>
                    <th scope="row" className={`${CELL} text-left font-medium`}>
                      {row.organization.name}
                    </th>
                    {REFUSAL_REASONS.map((r) => (
                      <td key={r} className={`${CELL} text-right tabular-nums`} data-counter={r}>
                        {formatCount(row.refusals[r])}
                      </td>
                    ))}
                    <td className={`${CELL} text-right font-semibold tabular-nums`} data-counter="total">
                      {formatCount(row.total)}
                    </td>
                    <td className={CELL}>{row.last ? <Time date={row.last} /> : "—"}</td>
                    <td className={CELL}>
                      <form action={switchOrganizationAction.bind(null, row.organization.slug, "/")}>
                        <Button
                          type="submit"
                          variant="secondary"
                          className="whitespace-nowrap"
                          aria-label={`Act for ${row.organization.name}`}
                        >
                          <ArrowRightLeft aria-hidden className="h-4 w-4" /> Act for
                        </Button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </Card>
      )}
    </>
  );
}
