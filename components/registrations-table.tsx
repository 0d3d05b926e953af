import Link from "next/link";
import { formatCount } from "./format";
import { Time } from "./time";
import { StatusBadge } from "./status-badge";
import { CELL, ROW, TableHead, TableScroll } from "./ui/table";

export type RegistrationRow = {
  clientId: string;
  applicationName: string;
  platform: string | null;
  deviceModel: string | null;
  simulated: boolean;
  status: "active" | "cut_off";
  tokenCount: number;
  lastTokenAt: Date | null;
  issuedAt: Date;
};

/** A registration's or token's status in words and colour: cut off means its statement was revoked. */
export function AccessBadge({ status }: { status: "active" | "expired" | "cut_off" }) {
  if (status === "cut_off") return <StatusBadge status="revoked" label="Cut off" />;
  if (status === "expired") return <StatusBadge status="neutral" label="Expired" />;
  return <StatusBadge status="active" label="Active" />;
}

export function SimulatedBadge() {
  return (
    <span className="rounded bg-violet-100 px-1.5 py-0.5 text-xs font-medium text-violet-800 dark:bg-violet-900/50 dark:text-violet-200">
      Simulated
    </span>
  );
}

const muted = `${CELL} text-zinc-600 dark:text-zinc-400`;

export function RegistrationsTable({
  rows,
  showApplication = true,
}: {
  rows: RegistrationRow[];
  showApplication?: boolean;
}) {
  return (
    <TableScroll>
      <table className="w-full text-left text-sm">
        <TableHead
          columns={[
            "Client ID",
            ...(showApplication ? ["Application"] : []),
            "Platform",
            "Device model",
            "Status",
            { label: "Tokens", align: "right" },
            "Last token",
            "Registered",
          ]}
        />
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows.map((r) => (
            <tr key={r.clientId} className={ROW}>
              <td className={`${CELL} whitespace-nowrap`}>
                <Link
                  href={`/registrations/${encodeURIComponent(r.clientId)}`}
                  className="font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-300"
                  aria-label={`Client ${r.clientId}`}
                  title={r.clientId}
                >
                  {r.clientId.slice(0, 12)}…
                </Link>
                {r.simulated && (
                  <span className="ml-2">
                    <SimulatedBadge />
                  </span>
                )}
              </td>
              {showApplication && <td className={CELL}>{r.applicationName}</td>}
              <td className={`${CELL} whitespace-nowrap`}>
                {r.platform ?? <span className="text-zinc-400">—</span>}
              </td>
              <td className={muted}>{r.deviceModel ?? <span className="text-zinc-400">—</span>}</td>
              <td className={CELL}>
                <AccessBadge status={r.status} />
              </td>
              <td className={`${CELL} text-right tabular-nums`}>{formatCount(r.tokenCount)}</td>
              <td className={`${muted} whitespace-nowrap`}>
                {r.lastTokenAt ? <Time date={r.lastTokenAt} /> : <span className="text-zinc-400">Never</span>}
              </td>
              <td className={`${muted} whitespace-nowrap`}>
                <Time date={r.issuedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
