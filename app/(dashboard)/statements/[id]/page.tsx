import type { Metadata } from "next";
import Link from "next/link";
import { AuditHistory } from "@/components/audit-event-list";
import { DetailsList } from "@/components/details-list";
import { DownloadButton } from "@/components/download-button";
import { EmptyState } from "@/components/empty-state";
import { formatCount } from "@/components/format";
import { JsonBlock } from "@/components/json-block";
import { PageHeader } from "@/components/page-header";
import { RegistrationsTable } from "@/components/registrations-table";
import { StatusBadge } from "@/components/status-badge";
import { Card, CardHeader } from "@/components/ui/card";
import { auditHistoryOf } from "@/lib/audit/query";
import { listRegistrations } from "@/lib/registrations/service";
import { listVisibleOrganizations } from "@/lib/organizations/service";
import { getStatement } from "@/lib/statements/service";
import { scopedPage } from "../../scoped-page";
import { downloadStatementAction } from "../actions";
import { MoveDialog } from "./move-dialog";
import { RevokeDialog } from "./revoke-dialog";
import { Time } from "@/components/time";
import { ActivityChart } from "@/components/activity/activity-chart";
import { ActivityHeading } from "@/components/activity/activity-heading";
import { ReRegistrationNotice } from "@/components/activity/re-registration";
import { parseRange } from "@/lib/activity/range";
import { activitySeries, rangeQuery, refusalsAfterRevocation, reRegistration } from "@/lib/activity/service";
import { FlashBanner } from "@/components/flash-banner";

const FLASH_PARAMS = ["uploaded", "moved", "replaced"];

export const metadata: Metadata = { title: "Statement" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ uploaded?: string; moved?: string; replaced?: string; range?: string }>;
};

export default async function StatementPage({ params, searchParams }: Props) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const { uploaded, moved, replaced } = query;
  const range = parseRange(query.range);
  return scopedPage(
    async (scope) => {
      // The statement first: an id that names none (or is no id at all) is a 404, whichever read would have
      // refused it first.
      const s = await getStatement(scope, id);
      const [registrations, history, series, afterRevocation, reRegistering] = await Promise.all([
        listRegistrations(scope, { statementId: s.id, limit: 10 }),
        auditHistoryOf(scope, s.id),
        activitySeries(scope, { ...rangeQuery(range), statementId: s.id }),
        refusalsAfterRevocation(scope, s.id),
        reRegistration(scope, { statementId: s.id }),
      ]);
      // Support moves an uploaded statement held by the wrong organization (a statement has exactly one).
      const movable = scope.actingFor && scope.canWrite && s.origin === "uploaded";
      const destinations = movable
        ? (await listVisibleOrganizations(scope.caller)).filter((o) => o.id !== scope.org.id)
        : [];
      const origin = (
        <>
          {s.origin === "generated" ? "Generated here" : "Uploaded"}
          {s.createdByEmail ? ` by ${s.createdByEmail}` : ""}, <Time date={s.createdAt} />
        </>
      );
      return (
        <>
          <PageHeader
            title={`Statement ${s.fingerprint.slice(0, 12)}…`}
            description={`For ${s.applicationName}`}
            actions={
              <div className="flex gap-3">
                <DownloadButton variant="secondary" action={downloadStatementAction.bind(null, s.id)}>
                  Download
                </DownloadButton>
                {movable && (
                  <MoveDialog
                    statementId={s.id}
                    registrationCount={s.registrationCount}
                    organizations={destinations}
                  />
                )}
                {scope.canWrite && s.status === "active" && (
                  <>
                    <RevokeDialog statementId={s.id} registrationCount={s.registrationCount} replace />
                    <RevokeDialog statementId={s.id} registrationCount={s.registrationCount} />
                  </>
                )}
              </div>
            }
          />
          {(uploaded || moved || replaced) && (
            <FlashBanner params={FLASH_PARAMS}>
              {replaced ? (
                <>
                  This statement replaces{" "}
                  <Link href={`/statements/${replaced}`} className="font-medium underline underline-offset-2">
                    the one revoked
                  </Link>
                  : its clients are cut off. Download this one and deliver it to the app.
                </>
              ) : moved ? (
                `Statement moved to ${scope.org.name}, with the clients it registered.`
              ) : (
                "Statement verified and stored."
              )}
            </FlashBanner>
          )}
          {s.status === "revoked" && (
            <div
              role="status"
              className="mb-6 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100"
            >
              <p className="font-semibold">
                Revoked {s.revokedAt && <Time date={s.revokedAt} />}
                {s.revokedByEmail && ` by ${s.revokedByEmail}`}
              </p>
              <p className="mt-1">Reason: {s.revokedReason}</p>
              <p className="mt-1">
                It cut off {formatCount(s.registrationCount)} registered{" "}
                {s.registrationCount === 1 ? "client" : "clients"}.
              </p>
              {afterRevocation && (
                <p className="mt-1" data-testid="refusals-after-revocation">
                  {afterRevocation.refusals === 0 ? (
                    "No device has tried it since."
                  ) : (
                    <>
                      {formatCount(afterRevocation.refusals)} refused{" "}
                      {afterRevocation.refusals === 1 ? "request" : "requests"} (registrations and token
                      requests) since it was revoked
                      {afterRevocation.last && (
                        <>
                          , the last <Time date={afterRevocation.last} />
                        </>
                      )}
                      .
                    </>
                  )}
                </p>
              )}
            </div>
          )}
          <Card>
            <CardHeader title="Details" />
            <DetailsList
              items={[
                ["Status", <StatusBadge key="s" status={s.status} />],
                [
                  "Application",
                  <Link
                    key="a"
                    href={`/applications/${s.applicationId}`}
                    className="text-indigo-700 hover:underline dark:text-indigo-300"
                  >
                    {s.applicationName}
                  </Link>,
                ],
                [
                  "Fingerprint (SHA-256)",
                  <code key="f" className="break-all font-mono text-xs">
                    {s.fingerprint}
                  </code>,
                ],
                ["Issuer", s.issuer],
                ["Subject", s.subject],
                ["Signed with", `${s.algorithm}${s.kid ? `, key ${s.kid}` : ""}`],
                ["Origin", origin],
                ["Registrations", formatCount(s.registrationCount)],
              ]}
            />
          </Card>
          <ActivityHeading range={range} />
          <ActivityChart
            series={series}
            title="This statement's activity"
            description="Registrations and tokens of its clients, and the requests refused, by reason."
            markers={s.revokedAt ? [{ at: s.revokedAt.toISOString(), label: "Revoked" }] : []}
            csvName={`activity-statement-${s.fingerprint.slice(0, 12)}-${range}`}
          />
          <div className="mt-4">
            <ReRegistrationNotice figures={reRegistering} subject="statement" />
          </div>
          <Card className="mt-6">
            <CardHeader
              title="Registrations"
              description={`${formatCount(s.registrationCount)} ${s.registrationCount === 1 ? "client" : "clients"} registered with this statement${s.registrationCount > 10 ? "; the 10 newest:" : "."}`}
              action={
                <Link
                  href={`/registrations?statementId=${s.id}`}
                  className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
                >
                  View all
                </Link>
              }
            />
            {registrations.items.length === 0 ? (
              <div className="p-5">
                <EmptyState title="No registrations yet">
                  Clients appear here when an app presents this statement to POST /o/client/register.
                </EmptyState>
              </div>
            ) : (
              <RegistrationsTable rows={registrations.items} showApplication={false} />
            )}
          </Card>
          <div className="mt-6 grid grid-cols-1 gap-6 lg:grid-cols-2">
            <Card>
              <CardHeader title="Claims" />
              <div className="p-5">
                <JsonBlock value={s.claims} label="Claims" />
              </div>
            </Card>
            <Card>
              <CardHeader title="Header" />
              <div className="p-5">
                <JsonBlock value={s.header} label="Header" />
              </div>
            </Card>
          </div>
          <AuditHistory
            events={history.items}
            targetId={s.id}
            hasMore={Boolean(history.nextCursor)}
            orgName={scope.org.name}
          />
        </>
      );
    },
    { kind: "statement", id },
  );
}
