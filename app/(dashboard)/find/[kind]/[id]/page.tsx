import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DetailsList } from "@/components/details-list";
import { EmptyState } from "@/components/empty-state";
import { formatCount, formatIp } from "@/components/format";
import { PageHeader } from "@/components/page-header";
import { StatusBadge } from "@/components/status-badge";
import { Time } from "@/components/time";
import { Card, CardHeader } from "@/components/ui/card";
import { requirePageContext } from "@/lib/auth/page-guard";
import { isRep } from "@/lib/auth/scope";
import { FIND_KINDS, holderOf, ENDPOINT_LABELS, type FindKind } from "@/lib/find/service";
import { storyOf, type Story, type StoryEntry } from "@/lib/find/story";
import { storyHref } from "@/lib/find/paths";
import { SwitchOffer } from "../../../switch-offer";

export const metadata: Metadata = { title: "Find" };

type Props = { params: Promise<{ kind: string; id: string }> };

const linkClass = "text-indigo-700 hover:underline dark:text-indigo-300";
const mono = (text: string) => <code className="break-all font-mono text-xs">{text}</code>;

const TITLES: Record<FindKind, string> = {
  client: "Client",
  statement: "Statement",
  token: "Access token",
  refusal: "Refused request",
  application: "Application",
  member: "Member",
};

/**
 * What Find found, with its story. A representative opening something another organization holds is offered
 * to act for it (recorded) instead of reading it unannounced; a member never reaches another organization's.
 */
export default async function StoryPage({ params }: Props) {
  const { kind: rawKind, id: rawId } = await params;
  const kind = FIND_KINDS.find((k) => k === rawKind);
  const id = decodeURIComponent(rawId);
  if (!kind || id.length > 200) notFound();
  const { caller, scope } = await requirePageContext();
  const held = await holderOf(caller, scope, kind, id);
  if (!held) notFound();
  const { organization } = held;
  if (organization && organization.id !== scope?.org.id) {
    if (!isRep(caller)) notFound();
    return <SwitchOffer organization={organization} returnTo={storyHref({ kind, id })} />;
  }
  // Held by the organization the caller is in (or acting for), or by none: a representative's own lookups.
  const story = await storyOf(caller, organization ? scope : null, kind, id);
  return <StoryView story={story} />;
}

function StoryView({ story }: { story: Story }) {
  const { refusal, registration, statement, application, token, member } = story;
  return (
    <>
      <PageHeader
        title={`${TITLES[story.kind]} ${story.kind === "application" ? (application?.name ?? "") : ""}`.trim()}
        description={
          <>
            {story.organization ? `In ${story.organization.name}` : "Not held by any organization"}
            {" · "}
            {mono(story.id)}
          </>
        }
      />
      {refusal && (
        <section
          aria-label="The refusal"
          data-testid="refusal"
          className="mb-6 rounded-lg border border-amber-300 bg-amber-50 p-5 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
        >
          <h2 className="text-base font-semibold">
            {refusal.status} {refusal.code} at the {ENDPOINT_LABELS[refusal.endpoint] ?? refusal.endpoint}
          </h2>
          <p className="mt-1">{refusal.description}</p>
          <dl className="mt-3 grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[auto_1fr]">
            <dt className="font-medium">When</dt>
            <dd>
              <Time date={refusal.at} />
            </dd>
            <dt className="font-medium">Why (recorded reason)</dt>
            <dd>{mono(refusal.reason)}</dd>
            <dt className="font-medium">Request id (trace)</dt>
            <dd>{refusal.requestId ? mono(refusal.requestId) : "—"}</dd>
            <dt className="font-medium">From</dt>
            <dd>{formatIp(refusal.ip) ?? "—"}</dd>
          </dl>
          {!refusal.organizationId && (
            <p className="mt-3">
              The request named nothing stored here (an unknown statement or client), so no organization holds
              it.
            </p>
          )}
        </section>
      )}
      <div className="mb-6 grid gap-6 lg:grid-cols-2">
        {(application || statement) && (
          <Card>
            <CardHeader title="Application and statement" />
            <DetailsList
              items={[
                ["Organization", story.organization?.name],
                [
                  "Application",
                  application && (
                    <Link href={`/applications/${application.id}`} className={linkClass}>
                      {application.name}
                    </Link>
                  ),
                ],
                [
                  "Statement",
                  statement && (
                    <span className="flex flex-wrap items-center gap-2">
                      <Link href={`/statements/${statement.id}`} className={linkClass}>
                        {statement.fingerprint.slice(0, 16)}…
                      </Link>
                      <StatusBadge status={statement.status} />
                      <span className="text-zinc-500">{statement.origin}</span>
                    </span>
                  ),
                ],
                [
                  "Revoked",
                  statement?.revokedAt && (
                    <>
                      <Time date={statement.revokedAt} />
                      {statement.revokedReason && ` — ${statement.revokedReason}`}
                    </>
                  ),
                ],
                ["Registrations", statement && formatCount(statement.registrationCount)],
              ]}
            />
          </Card>
        )}
        {registration && (
          <Card>
            <CardHeader title="Registration" />
            <DetailsList
              items={[
                [
                  "Client id",
                  <Link key="c" href={`/registrations/${registration.clientId}`} className={linkClass}>
                    {mono(registration.clientId)}
                  </Link>,
                ],
                ["Registered", <Time key="r" date={registration.createdAt} />],
                [
                  "Device",
                  [registration.platform, registration.deviceModel].filter(Boolean).join(" · ") || null,
                ],
                [
                  "Status",
                  statement && (
                    <StatusBadge
                      status={statement.status === "active" ? "active" : "revoked"}
                      label={statement.status === "active" ? "Can get tokens" : "Cut off"}
                    />
                  ),
                ],
                ["Tokens issued", formatCount(registration.tokenCount)],
                ["Last token", registration.lastTokenAt && <Time date={registration.lastTokenAt} />],
              ]}
            />
          </Card>
        )}
        {token && (
          <Card>
            <CardHeader title="Access token" />
            <DetailsList
              items={[
                ["jti", mono(token.jti)],
                ["Issued", <Time key="i" date={token.issuedAt} />],
                [
                  "Expires",
                  <>
                    <Time date={token.expiresAt} />
                    {token.expiresAt < new Date() ? " (expired)" : ""}
                  </>,
                ],
              ]}
            />
          </Card>
        )}
        {member && (
          <Card>
            <CardHeader title="Account" />
            <DetailsList
              items={[
                ["Name", member.name],
                ["Email", member.email],
                ["Role", member.role === "REP" ? "Support representative" : "Member"],
                [
                  "Memberships",
                  member.memberships.length
                    ? member.memberships
                        .map(
                          (m) =>
                            `${m.organization.name} (${m.role.toLowerCase()}${m.disabled ? ", disabled" : ""})`,
                        )
                        .join(", ")
                    : null,
                ],
              ]}
            />
          </Card>
        )}
        {story.kind === "application" && (
          <Card>
            <CardHeader title="Statements" />
            {story.statements.length ? (
              <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
                {story.statements.map((s) => (
                  <li key={s.id} className="flex items-center justify-between gap-2 px-5 py-2">
                    <Link href={`/statements/${s.id}`} className={linkClass}>
                      {s.fingerprint.slice(0, 16)}…
                    </Link>
                    <span className="flex items-center gap-2">
                      <StatusBadge status={s.status} />
                      <Time date={s.createdAt} />
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="px-5 py-4 text-sm text-zinc-500">No statements yet.</p>
            )}
          </Card>
        )}
      </div>
      <Card>
        <CardHeader
          title="Story"
          description="Oldest first: audit events, registrations, tokens and refusals (the newest of each)."
        />
        {story.timeline.length ? (
          <ol className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Story">
            {story.timeline.map((entry, i) => (
              <StoryRow key={i} entry={entry} />
            ))}
          </ol>
        ) : (
          <EmptyState title="Nothing happened to it yet" />
        )}
      </Card>
    </>
  );
}

const ENTRY_LABELS: Record<StoryEntry["kind"], string> = {
  audit: "Audit",
  token: "Token",
  refusal: "Refused",
  registration: "Registered",
};

function StoryRow({ entry }: { entry: StoryEntry }) {
  return (
    <li
      data-kind={entry.kind}
      aria-current={entry.subject ? "true" : undefined}
      className={`grid grid-cols-1 gap-1 px-5 py-3 text-sm sm:grid-cols-[10rem_6rem_1fr] sm:gap-4 ${
        entry.subject ? "bg-amber-50 dark:bg-amber-950/30" : ""
      }`}
    >
      <span className="text-zinc-500">
        <Time date={entry.at} />
      </span>
      <span>
        <StatusBadge
          status={entry.kind === "refusal" ? "revoked" : "neutral"}
          label={ENTRY_LABELS[entry.kind]}
        />
      </span>
      <span className="min-w-0 [overflow-wrap:anywhere]">
        {entry.href ? (
          <Link href={entry.href} className={`font-medium ${linkClass}`}>
            {entry.title}
          </Link>
        ) : (
          <span className="font-medium">{entry.title}</span>
        )}
        {entry.detail && (
          <span className="block text-xs text-zinc-500 dark:text-zinc-400">{entry.detail}</span>
        )}
      </span>
    </li>
  );
}
