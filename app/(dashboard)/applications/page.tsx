import type { Metadata } from "next";
import Link from "next/link";
import { AppWindow, Plus } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { Pager } from "@/components/pager";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TableHead, TableScroll } from "@/components/ui/table";
import { listApplications } from "@/lib/applications/service";
import { isValidCursor } from "@/lib/pagination";
import { scopedPage } from "../scoped-page";
import { Time } from "@/components/time";

export const metadata: Metadata = { title: "Applications" };

type Search = Promise<{ cursor?: string }>;

export default async function ApplicationsPage({ searchParams }: { searchParams: Search }) {
  const raw = (await searchParams).cursor;
  // A cursor this server did not write is ignored (first page), as on the other lists.
  const cursor = typeof raw === "string" && isValidCursor(raw) ? raw : undefined;
  return scopedPage(async (scope) => {
    const page = await listApplications(scope, { cursor, limit: 25 });
    return (
      <>
        <PageHeader
          title="Applications"
          description="The client applications your organization ships. Each gets its own software statements."
          actions={
            scope.canWrite && (
              <Link href="/applications/new" className={buttonClass()}>
                <Plus aria-hidden className="h-4 w-4" /> New application
              </Link>
            )
          }
        />
        {page.items.length === 0 && !cursor ? (
          <EmptyState title="No applications yet" icon={<AppWindow className="h-8 w-8" />}>
            {scope.canWrite
              ? "Create one for each app you ship, then get its software statement to build into the app."
              : "An admin of this organization has not registered any application yet."}
          </EmptyState>
        ) : (
          <Card>
            <TableScroll>
              <table className="w-full text-left text-sm">
                <TableHead columns={["Name", "Version", "Platforms", "Statements", "Created"]} />
                <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                  {page.items.map((app) => (
                    <tr key={app.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
                      <td className="px-5 py-3 font-medium">
                        <Link
                          href={`/applications/${app.id}`}
                          className="text-indigo-700 hover:underline dark:text-indigo-300"
                        >
                          {app.name}
                        </Link>
                      </td>
                      <td className="px-5 py-3 font-mono text-xs">{app.version}</td>
                      <td className="px-5 py-3 text-zinc-600 dark:text-zinc-400">
                        {app.platforms.join(", ")}
                      </td>
                      <td className="px-5 py-3 tabular-nums">{app.statementCount}</td>
                      <td className="whitespace-nowrap px-5 py-3 text-zinc-600 dark:text-zinc-400">
                        <Time date={app.createdAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            <Pager
              basePath="/applications"
              params={{}}
              nextCursor={page.nextCursor}
              hasCursor={Boolean(cursor)}
            />
          </Card>
        )}
      </>
    );
  });
}
