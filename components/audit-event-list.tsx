import { EmptyState } from "./empty-state";
import { formatDateTime } from "./format";
import { TableHead } from "./ui/table";

export type AuditRow = {
  id: string;
  createdAt: Date;
  action: string;
  actorEmail: string | null;
  actorRole: string | null;
  actingFor: boolean;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
};

export function AuditEventList({ events }: { events: AuditRow[] }) {
  if (events.length === 0) {
    return (
      <EmptyState title="No events yet">Changes made in this organization will be listed here.</EmptyState>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <TableHead columns={["When", "Who", "What", "Object"]} />
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {events.map((e) => (
            <tr key={e.id}>
              <td className="whitespace-nowrap px-5 py-2.5 text-zinc-600 dark:text-zinc-400">
                <time dateTime={e.createdAt.toISOString()} title={e.createdAt.toISOString()}>
                  {formatDateTime(e.createdAt)}
                </time>
              </td>
              <td className="px-5 py-2.5">
                {e.actorEmail ?? <span className="text-zinc-500">System</span>}
                {e.actingFor && (
                  <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800 dark:bg-amber-900/50 dark:text-amber-200">
                    on behalf
                  </span>
                )}
              </td>
              <td className="px-5 py-2.5 font-mono text-xs">{e.action}</td>
              <td className="px-5 py-2.5 text-zinc-600 dark:text-zinc-400">
                {e.targetType ? `${e.targetType} ${e.targetId?.slice(0, 10) ?? ""}` : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
