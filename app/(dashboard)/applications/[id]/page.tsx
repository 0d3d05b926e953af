import type { Metadata } from "next";
import Link from "next/link";
import { AuditHistory } from "@/components/audit-event-list";
import { DetailsList } from "@/components/details-list";
import { DownloadButton } from "@/components/download-button";
import { EmptyState } from "@/components/empty-state";
import { formatCount } from "@/components/format";
import { PageHeader } from "@/components/page-header";
import { Pager } from "@/components/pager";
import { StatementsTable } from "@/components/statements-table";
import { Card, CardHeader } from "@/components/ui/card";
import { auditHistoryOf } from "@/lib/audit/query";
import { getApplication } from "@/lib/applications/service";
import { applicationRegistrationCount } from "@/lib/registrations/service";
import { listStatements } from "@/lib/statements/service";
import { scopedPage } from "../../scoped-page";
import { getSoftwareStatementAction } from "../actions";
import { Time } from "@/components/time";
import { ActivityHeading } from "@/components/activity/activity-heading";
import { ReRegistrationNotice } from "@/components/activity/re-registration";
import { StatementLinesChart } from "@/components/activity/statement-lines-chart";
import { parseRange } from "@/lib/activity/range";
import { reRegistration, statementFetches, statementLines } from "@/lib/activity/service";
import { env } from "@/lib/env";
import { STATEMENT_URL_PREFIX } from "@/lib/dcr/exchange";
import { StatementUrlCard } from "./statement-url";
import { FlashBanner } from "@/components/flash-banner";

const FLASH_PARAMS = ["created"];

export const metadata: Metadata = { title: "Application" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ cursor?: string; created?: string; range?: string }>;
};

export default async function ApplicationPage({ params, searchParams }: Props) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const { cursor, created } = query;
  const range = parseRange(query.range);
  return scopedPage(
    async (scope) => {
      const app = await getApplication(scope, id);
      const [statements, registrationCount, history, lines, reRegistering, fetches] = await Promise.all([
        listStatements(scope, { applicationId: app.id, cursor, limit: 20 }),
        applicationRegistrationCount(scope, app.id),
        auditHistoryOf(scope, app.id),
        statementLines(scope, app.id, range),
        reRegistration(scope, { applicationId: app.id }),
        statementFetches(scope, app.id),
      ]);
      return (
        <>
          <PageHeader
            title={app.name}
            description={`Version ${app.version} · ${app.platforms.join(", ")}`}
            actions={
              scope.canWrite && (
                <DownloadButton action={getSoftwareStatementAction.bind(null, app.id)}>
                  Get software statement
                </DownloadButton>
              )
            }
          />
          {created && (
            <FlashBanner params={FLASH_PARAMS}>
              Application created.{" "}
              {scope.canWrite && "Use “Get software statement” to sign its first statement."}
            </FlashBanner>
          )}
          <Card>
            <CardHeader title="Details" />
            <DetailsList
              items={[
                [
                  "Application id (statement sub)",
                  <code key="id" className="font-mono text-xs">
                    {app.id}
                  </code>,
                ],
                [
                  "Registrations",
                  <span key="r">
                    {formatCount(registrationCount)}{" "}
                    <Link
                      href={`/registrations?applicationId=${app.id}`}
                      className="ml-2 font-medium text-indigo-600 hover:underline dark:text-indigo-400"
                    >
                      View registrations
                    </Link>
                  </span>,
                ],
                ["Domains", app.domains.join(", ")],
                ["Channel", app.channel],
                ["Scopes", app.scopes.join(", ")],
                [
                  "Created",
                  <>
                    <Time date={app.createdAt} />
                    {app.createdByEmail ? ` by ${app.createdByEmail}` : ""}
                  </>,
                ],
              ]}
            />
          </Card>
          <Card className="mt-6">
            <CardHeader
              title="Software statements"
              description="Each download signs a fresh statement; earlier ones stay valid until revoked."
            />
            {statements.items.length === 0 && !cursor ? (
              <div className="p-5">
                <EmptyState title="No statements yet">
                  {scope.canWrite
                    ? "“Get software statement” signs one and downloads it."
                    : "An admin has not issued one yet."}
                </EmptyState>
              </div>
            ) : (
              <>
                <StatementsTable rows={statements.items} showApplication={false} />
                <Pager
                  basePath={`/applications/${app.id}`}
                  params={{}}
                  nextCursor={statements.nextCursor}
                  hasCursor={Boolean(cursor)}
                />
              </>
            )}
            <p className="border-t border-zinc-200 px-5 py-3 text-sm dark:border-zinc-800">
              <Link
                href={`/statements?applicationId=${app.id}`}
                className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
              >
                Filter all statements by this application
              </Link>
            </p>
          </Card>
          <StatementUrlCard
            applicationId={app.id}
            url={`${env.PUBLIC_URL}${STATEMENT_URL_PREFIX}${app.id}`}
            enabled={app.statementUrl}
            canWrite={scope.canWrite}
            fetches={fetches}
          />
          <ActivityHeading title="Activity by statement" range={range} />
          <StatementLinesChart
            lines={lines}
            title="Registrations and tokens, per statement"
            description="After a rotation the old statement's line falls and the new one's rises."
            csvName={`activity-application-${app.id}-${range}`}
          />
          <div className="mt-4">
            <ReRegistrationNotice figures={reRegistering} subject="application" />
          </div>
          <AuditHistory
            events={history.items}
            targetId={app.id}
            hasMore={Boolean(history.nextCursor)}
            orgName={scope.org.name}
          />
        </>
      );
    },
    { kind: "application", id },
  );
}
