import Link from "next/link";
import { formatCount } from "@/components/format";
import { AppWindow, FileKey2, FileX2, KeyRound, Smartphone, Users } from "lucide-react";
import { AuditEventList } from "@/components/audit-event-list";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/page-header";
import { latestAuditEvents } from "@/lib/audit/query";
import { countMembers } from "@/lib/members/service";
import { registrationActivity } from "@/lib/registrations/service";
import { statementCounts } from "@/lib/statements/service";
import { ActivityChart } from "@/components/activity/activity-chart";
import { ActivityHeading } from "@/components/activity/activity-heading";
import { ReRegisteringStatements } from "@/components/activity/re-registration";
import { activitySeries, rangeQuery, reRegisteringStatements } from "@/lib/activity/service";
import { parseRange } from "@/lib/activity/range";
import { scopedPage } from "./scoped-page";

type Props = { searchParams: Promise<{ range?: string }> };

export default async function OverviewPage({ searchParams }: Props) {
  const range = parseRange((await searchParams).range);
  return scopedPage(async (scope) => {
    const [members, counts, activity, events, series, reRegistering] = await Promise.all([
      countMembers(scope),
      statementCounts(scope),
      registrationActivity(scope),
      latestAuditEvents(scope.org.id, 10, { people: true }),
      activitySeries(scope, rangeQuery(range)),
      reRegisteringStatements(scope),
    ]);
    const device = <Smartphone aria-hidden className="h-4 w-4" />;
    const token = <KeyRound aria-hidden className="h-4 w-4" />;
    return (
      <>
        <PageHeader title="Overview" description={`${scope.org.name} at a glance.`} />
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Stat
            label="Applications"
            value={counts.applications}
            icon={<AppWindow aria-hidden className="h-4 w-4" />}
            href="/applications"
          />
          <Stat
            label="Active statements"
            value={counts.active}
            icon={<FileKey2 aria-hidden className="h-4 w-4" />}
            href="/statements?status=active"
          />
          <Stat
            label="Revoked statements"
            value={counts.revoked}
            icon={<FileX2 aria-hidden className="h-4 w-4" />}
            href="/statements?status=revoked"
          />
          <Stat
            label="Members"
            value={members}
            icon={<Users aria-hidden className="h-4 w-4" />}
            href="/settings/members"
          />
        </div>
        <h2 className="mb-3 mt-8 text-base font-semibold">Clients</h2>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-5">
          <Stat label="Registrations" value={activity.total} icon={device} href="/registrations" />
          <Stat label="Registrations 24 h" value={activity.registrations24h} icon={device} />
          <Stat label="Registrations 7 days" value={activity.registrations7d} icon={device} />
          <Stat label="Tokens 24 h" value={activity.tokens24h} icon={token} />
          <Stat label="Tokens 7 days" value={activity.tokens7d} icon={token} />
        </div>
        <ActivityHeading range={range} />
        <ActivityChart
          series={series}
          title="Registrations, tokens and refusals"
          description="What your statements' clients did, and the requests refused, by reason."
          csvName={`activity-${scope.org.slug}-${range}`}
        />
        <ReRegisteringStatements items={reRegistering} />
        <Card className="mt-6 p-5">
          <h2 className="text-base font-semibold">Getting started</h2>
          <ol className="mt-3 list-decimal space-y-1.5 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
            <li>
              {scope.canWrite ? (
                <Link
                  href="/applications"
                  className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  Register an application
                </Link>
              ) : (
                "An admin registers an application"
              )}{" "}
              for each app you ship.
            </li>
            <li>Get its software statement and build it into the app, or upload one from another issuer.</li>
            <li>
              Watch the client registrations each statement produces, and revoke a statement if a build leaks.
            </li>
          </ol>
        </Card>
        <Card className="mt-6">
          <CardHeader
            title="Latest activity"
            description="What people did lately. Client registrations and refused tokens are the system's, counted above."
            action={
              <Link
                href="/audit"
                className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
              >
                View all
              </Link>
            }
          />
          <AuditEventList
            events={events}
            emptyText="Changes people make in this organization will be listed here."
          />
          <p className="border-t border-zinc-100 px-5 py-3 text-sm text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
            {formatCount(activity.registrations24h)} client{" "}
            {activity.registrations24h === 1 ? "registration" : "registrations"} in the last 24 hours:{" "}
            <Link
              href="/audit?action=client.*"
              className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
            >
              their events
            </Link>{" "}
            ·{" "}
            <Link
              href="/registrations"
              className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
            >
              the clients
            </Link>
          </p>
        </Card>
      </>
    );
  });
}

function Stat({
  label,
  value,
  icon,
  href,
}: {
  label: string;
  value: number;
  icon: React.ReactNode;
  href?: string;
}) {
  const body = (
    <>
      <p className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
        {icon}
        {label}
      </p>
      <p
        className="mt-2 text-3xl font-semibold tabular-nums"
        data-testid={`stat-${label.toLowerCase().replace(/\s+/g, "-")}`}
      >
        {formatCount(value)}
      </p>
    </>
  );
  const box =
    "block rounded-lg border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900";
  // Counts over a rolling window have no list of their own to open, so they are not links.
  return href ? (
    <Link href={href} className={`${box} hover:border-indigo-300`}>
      {body}
    </Link>
  ) : (
    <div className={box}>{body}</div>
  );
}
