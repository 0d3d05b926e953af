import Link from "next/link";
import { EmptyState } from "./empty-state";
import { Time } from "./time";
import { CELL, ROW, TableHead, TableScroll } from "./ui/table";
import { formatIp } from "./format";

export type AuditRow = {
  id: string;
  createdAt: Date;
  action: string;
  actorEmail: string | null;
  actorRole: string | null;
  actingFor: boolean;
  targetType: string | null;
  targetId: string | null;
  targetName?: string | null;
  ip: string | null;
};

const linkClass = "text-indigo-700 hover:underline dark:text-indigo-300";

/** Where an event's object lives in the console, if it has a page. */
export function auditTargetHref(targetType: string | null, targetId: string | null): string | null {
  if (!targetId) return null;
  const id = encodeURIComponent(targetId);
  if (targetType === "statement") return `/statements/${id}`;
  if (targetType === "application") return `/applications/${id}`;
  if (targetType === "client") return `/registrations/${id}`;
  return null;
}

const KINDS: Record<string, string> = { user: "member", token: "API token", signing_key: "signing key" };

/** An event's object by the name people know it by, linked to its page; its kind alone when it has no name. */
export function AuditTarget({
  type,
  id,
  name,
}: {
  type: string | null;
  id: string | null;
  name?: string | null;
}) {
  if (!type && !id) return <span className="text-zinc-500">—</span>;
  const href = auditTargetHref(type, id);
  const kind = KINDS[type ?? ""] ?? (type ?? "object").replace(/_/g, " ");
  const label = name ? `${kind} ${name}` : kind;
  return href ? (
    <Link href={href} className={linkClass} title={id ?? undefined}>
      {label}
    </Link>
  ) : (
    <span title={id ?? undefined}>{label}</span>
  );
}

export function AuditActor({
  email,
  actingFor,
  orgName,
}: {
  email: string | null;
  actingFor: boolean;
  orgName?: string;
}) {
  return (
    <>
      {email ?? <span className="text-zinc-500">System</span>}
      {actingFor && (
        <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800 dark:bg-amber-900/50 dark:text-amber-200">
          on behalf of {orgName ?? "the organization"}
        </span>
      )}
    </>
  );
}

/** Events newest first: who (and for whom), what, which object, when and from where; the action opens it. */
export function AuditEventList({
  events,
  orgName,
  emptyTitle = "No events yet",
  emptyText = "Changes made in this organization will be listed here.",
  showTarget = true,
}: {
  events: AuditRow[];
  orgName?: string;
  emptyTitle?: string;
  emptyText?: string;
  /** Off in an object's own History card, where every row is about that object. */
  showTarget?: boolean;
}) {
  if (events.length === 0) {
    return <EmptyState title={emptyTitle}>{emptyText}</EmptyState>;
  }
  return (
    <TableScroll>
      <table className="w-full text-left text-sm">
        <TableHead columns={["When", "Who", "What", ...(showTarget ? ["Object"] : []), "From"]} />
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {events.map((e) => (
            <tr key={e.id} className={ROW}>
              <td className={`${CELL} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>
                <Time date={e.createdAt} />
              </td>
              <td className={CELL}>
                <AuditActor email={e.actorEmail} actingFor={e.actingFor} orgName={orgName} />
              </td>
              <td className={`${CELL} font-mono text-xs`}>
                <Link href={`/audit/${e.id}`} className={linkClass} title="Open this event">
                  {e.action}
                </Link>
              </td>
              {showTarget && (
                <td className={CELL}>
                  <AuditTarget type={e.targetType} id={e.targetId} name={e.targetName} />
                </td>
              )}
              <td className={`${CELL} whitespace-nowrap font-mono text-xs text-zinc-600 dark:text-zinc-400`}>
                {e.ip ? (
                  <>
                    {/* Read as "from 203.0.113.7": the address alone says little to a screen reader. */}
                    <span className="sr-only">from </span>
                    {formatIp(e.ip)}
                  </>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The History card of an object's page: its own events, newest first, and a link to all of them. */
export function AuditHistory({
  events,
  targetId,
  hasMore,
  orgName,
}: {
  events: AuditRow[];
  targetId: string;
  hasMore: boolean;
  orgName?: string;
}) {
  return (
    <section
      aria-labelledby="history-heading"
      className="mt-6 rounded-lg border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex items-start justify-between gap-4 border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
        <div>
          <h2 id="history-heading" className="text-base font-semibold">
            History
          </h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Audit events about this object{hasMore ? `; the ${events.length} newest:` : "."}
          </p>
        </div>
        <Link
          href={`/audit?targetId=${encodeURIComponent(targetId)}`}
          className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
        >
          View in audit trail
        </Link>
      </div>
      <div className={events.length === 0 ? "p-5" : ""}>
        <AuditEventList
          events={events}
          orgName={orgName}
          emptyTitle="No events about it yet"
          emptyText="Changes to it will be listed here."
          showTarget={false}
        />
      </div>
    </section>
  );
}
