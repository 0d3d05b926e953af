import type { Metadata } from "next";
import Link from "next/link";
import { AuditActor, AuditTarget } from "@/components/audit-event-list";
import { DetailsList } from "@/components/details-list";
import { JsonBlock } from "@/components/json-block";
import { PageHeader } from "@/components/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { laneOf } from "@/lib/audit/chain";
import { diffSnapshots } from "@/lib/audit/diff";
import { getAuditEvent } from "@/lib/audit/query";
import { scopedPage } from "../../scoped-page";
import { chainWords } from "../chain-words";
import { DiffTable } from "./diff-table";
import { Time } from "@/components/time";
import { formatIp, formatRole } from "@/components/format";

export const metadata: Metadata = { title: "Audit event" };

type Props = { params: Promise<{ id: string }> };

const code = (text: string | null) => text && <code className="break-all font-mono text-xs">{text}</code>;

export default async function AuditEventPage({ params }: Props) {
  const { id } = await params;
  return scopedPage(async (scope) => {
    const e = await getAuditEvent(scope, id);
    const hasSnapshots = e.before !== undefined || e.after !== undefined;
    return (
      <>
        <PageHeader
          title={e.action}
          description={
            <>
              Event #{e.seq} of {chainWords(laneOf(e.chain))}, <Time date={e.createdAt} />
            </>
          }
          actions={
            <Link
              href="/audit"
              className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
            >
              ← All events
            </Link>
          }
        />
        <Card>
          <CardHeader title="Details" />
          <DetailsList
            items={[
              ["When", <Time key="t" date={e.createdAt} />],
              ["Action", code(e.action)],
              [
                "Actor",
                <AuditActor key="a" email={e.actorEmail} actingFor={e.actingFor} orgName={scope.org.name} />,
              ],
              ["Role", formatRole(e.actorRole)],
              [
                "On behalf of the organization",
                e.actingFor ? `Yes: a representative acting for ${scope.org.name}` : "No",
              ],
              ["Object", <AuditTarget key="o" type={e.targetType} id={e.targetId} name={e.targetName} />],
              ["Object ID", code(e.targetId)],
              ["IP address", code(formatIp(e.ip))],
              ["User agent", e.userAgent],
              ["Request ID", code(e.requestId)],
              ["Chain", code(e.chain)],
              ["Sequence", String(e.seq)],
              ["Hash", code(e.hash)],
              ["Previous hash", code(e.prevHash)],
            ]}
          />
        </Card>
        <Card className="mt-6">
          <CardHeader
            title="Changes"
            description="Fields added, removed or changed between the before and after snapshots (secrets are redacted when recorded)."
          />
          {hasSnapshots ? (
            <DiffTable entries={diffSnapshots(e.before, e.after)} />
          ) : (
            <p className="px-5 py-4 text-sm text-zinc-600 dark:text-zinc-400">
              This event records no snapshot.
            </p>
          )}
        </Card>
        {hasSnapshots && (
          <div className="mt-6 grid grid-cols-1 gap-6 lg:grid-cols-2">
            <Card>
              <CardHeader title="Before" />
              <div className="p-5">
                {e.before === undefined || e.before === null ? (
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing: this event created it.</p>
                ) : (
                  <JsonBlock value={e.before} label="Before" />
                )}
              </div>
            </Card>
            <Card>
              <CardHeader title="After" />
              <div className="p-5">
                {e.after === undefined || e.after === null ? (
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing: this event removed it.</p>
                ) : (
                  <JsonBlock value={e.after} label="After" />
                )}
              </div>
            </Card>
          </div>
        )}
      </>
    );
  });
}
