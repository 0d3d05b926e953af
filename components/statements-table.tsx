import Link from "next/link";
import { formatCount } from "./format";
import { Time } from "./time";
import { StatusBadge } from "./status-badge";
import { TableHead, TableScroll } from "./ui/table";

export type StatementRow = {
  id: string;
  applicationName: string;
  fingerprint: string;
  issuer: string;
  origin: "generated" | "uploaded";
  status: "active" | "revoked";
  registrationCount: number;
  createdAt: Date;
};

export function StatementsTable({
  rows,
  showApplication = true,
}: {
  rows: StatementRow[];
  showApplication?: boolean;
}) {
  return (
    <TableScroll>
      <table className="w-full text-left text-sm">
        <TableHead
          columns={[
            "Fingerprint",
            ...(showApplication ? ["Application"] : []),
            "Status",
            "Origin",
            "Issuer",
            { label: "Registrations", align: "right" },
            "Created",
          ]}
        />
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows.map((s) => (
            <tr key={s.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
              <td className="px-5 py-3">
                <Link
                  href={`/statements/${s.id}`}
                  className="font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-300"
                  aria-label={`Statement ${s.fingerprint.slice(0, 12)}`}
                >
                  {s.fingerprint.slice(0, 12)}…
                </Link>
              </td>
              {showApplication && <td className="px-5 py-3">{s.applicationName}</td>}
              <td className="px-5 py-3">
                <StatusBadge status={s.status} />
              </td>
              <td className="px-5 py-3 text-zinc-600 dark:text-zinc-400">
                {s.origin === "generated" ? "Generated" : "Uploaded"}
              </td>
              <td className="max-w-56 truncate px-5 py-3 text-zinc-600 dark:text-zinc-400" title={s.issuer}>
                {s.issuer}
              </td>
              <td className="px-5 py-3 text-right tabular-nums">{formatCount(s.registrationCount)}</td>
              <td className="whitespace-nowrap px-5 py-3 text-zinc-600 dark:text-zinc-400">
                <Time date={s.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
