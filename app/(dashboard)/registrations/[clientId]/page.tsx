import type { Metadata } from "next";
import Link from "next/link";
import { AuditHistory } from "@/components/audit-event-list";
import { DetailsList } from "@/components/details-list";
import { EmptyState } from "@/components/empty-state";
import { formatCount, formatIp } from "@/components/format";
import { JsonBlock } from "@/components/json-block";
import { PageHeader } from "@/components/page-header";
import { AccessBadge, SimulatedBadge } from "@/components/registrations-table";
import { Card, CardHeader } from "@/components/ui/card";
import { CELL, ROW, TableHead, TableScroll } from "@/components/ui/table";
import { auditHistoryOf } from "@/lib/audit/query";
import { getRegistration } from "@/lib/registrations/service";
import { scopedPage } from "../../scoped-page";
import { Time } from "@/components/time";

export const metadata: Metadata = { title: "Registration" };

type Props = { params: Promise<{ clientId: string }> };

const linkClass = "text-indigo-700 hover:underline dark:text-indigo-300";
const code = (text: string | null) => text && <code className="break-all font-mono text-xs">{text}</code>;

export default async function RegistrationPage({ params }: Props) {
  const { clientId } = await params;
  return scopedPage(
    async (scope) => {
      const r = await getRegistration(scope, clientId);
      const history = await auditHistoryOf(scope, r.clientId);
      // Same application on the same platform: where a device that keeps re-registering shows up.
      const sameDevices = new URLSearchParams({
        applicationId: r.applicationId,
        ...(r.platform && { platform: r.platform }),
      });
      return (
        <>
          <PageHeader
            title={`Client ${r.clientId}`}
            description={`Registered by ${r.applicationName}${r.platform ? ` on ${r.platform}` : ""}`}
          />
          {r.status === "cut_off" && (
            <div
              role="status"
              className="mb-6 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100"
            >
              <p className="font-semibold">Cut off</p>
              <p className="mt-1">
                Its statement was revoked: this client can no longer get tokens or call the protected APIs.
              </p>
            </div>
          )}
          <Card>
            <CardHeader
              title="Details"
              action={
                <Link href={`/registrations?${sameDevices}`} className={`text-sm font-medium ${linkClass}`}>
                  Other registrations of this app{r.platform && ` on ${r.platform}`}
                </Link>
              }
            />
            <DetailsList
              items={[
                ["Status", <AccessBadge key="s" status={r.status} />],
                [
                  "Application",
                  <Link key="a" href={`/applications/${r.applicationId}`} className={linkClass}>
                    {r.applicationName}
                  </Link>,
                ],
                [
                  "Statement",
                  <Link
                    key="st"
                    href={`/statements/${r.statementId}`}
                    className={`font-mono text-xs ${linkClass}`}
                  >
                    {r.statementFingerprint.slice(0, 12)}…
                  </Link>,
                ],
                ["Client ID", code(r.clientId)],
                ["Platform", r.platform],
                ["Device model", r.deviceModel],
                ["Redirect URI", code(r.redirectUri)],
                ["IP address", formatIp(r.ip)],
                ["User agent", code(r.userAgent)],
                ["Registered", <Time key="t" date={r.issuedAt} />],
                ["Tokens issued", formatCount(r.tokenCount)],
                ["Last token", r.lastTokenAt ? <Time key="t" date={r.lastTokenAt} /> : "Never"],
                ["Simulated", r.simulated ? <SimulatedBadge key="sim" /> : "No"],
              ]}
            />
          </Card>
          <div className="mt-6 space-y-6">
            <Card>
              <CardHeader title="Device facts" description="The X-Device-Info it sent when it registered." />
              <div className="p-5">
                {r.deviceInfo ? (
                  <JsonBlock value={r.deviceInfo} label="Device facts" />
                ) : (
                  <EmptyState title="No device facts">It registered without X-Device-Info.</EmptyState>
                )}
              </div>
            </Card>
            <Card>
              <CardHeader
                title="Access tokens"
                description={
                  r.tokenCount > r.tokens.length
                    ? `The ${r.tokens.length} newest of ${formatCount(r.tokenCount)}.`
                    : "Every token it was issued, newest first."
                }
              />
              {r.tokens.length === 0 ? (
                <div className="p-5">
                  <EmptyState title="No tokens yet">It has not asked for an access token.</EmptyState>
                </div>
              ) : (
                <TableScroll>
                  <table className="w-full text-left text-sm">
                    <TableHead columns={["Token ID", "Issued", "Expires", "Status"]} />
                    <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                      {r.tokens.map((t) => (
                        <tr key={t.id} className={ROW}>
                          <td className={`${CELL} whitespace-nowrap font-mono text-xs`}>{t.id}</td>
                          <td className={`${CELL} whitespace-nowrap`}>
                            <Time date={t.issuedAt} />
                          </td>
                          <td className={`${CELL} whitespace-nowrap`}>
                            <Time date={t.expiresAt} />
                          </td>
                          <td className={CELL}>
                            <AccessBadge status={t.status} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
              )}
            </Card>
          </div>
          <AuditHistory
            events={history.items}
            targetId={r.clientId}
            hasMore={Boolean(history.nextCursor)}
            orgName={scope.org.name}
          />
        </>
      );
    },
    { kind: "client", id: clientId },
  );
}
