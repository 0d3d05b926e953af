import "server-only";
import type { Caller, OrgRef, OrgScope } from "@/lib/auth/scope";
import { latestAuditEventsBy, listAuditEvents, type AuditEventSummary } from "@/lib/audit/query";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { Refusal } from "@/lib/generated/prisma/client";
import { refusalCutoff } from "@/lib/dcr/store";
import { tokenTally, withTokenTally } from "@/lib/registrations/service";
import { toView, forView } from "@/lib/statements/records";
import { ENDPOINT_LABELS, storyReach, type FindKind } from "./service";

/**
 * The story of what Find found: the organization, application, statement and registration it belongs to, and
 * what happened to them in time order (audit events, tokens, refusals). Each source is one indexed read of its
 * newest rows, so a statement with millions of registrations tells its story as fast as a new one.
 */

export type RefusalView = Omit<Refusal, "userAgent">;

export type StoryEntry = {
  at: Date;
  kind: "audit" | "token" | "refusal" | "registration";
  title: string;
  detail: string | null;
  /** The entry's own page (a statement, a client), or null. */
  href: string | null;
  /** What Find found: the entry the story is about. */
  subject: boolean;
  /** For audit entries, the event (its actor and target). */
  event?: AuditEventSummary;
};

export type Story = {
  kind: FindKind;
  id: string;
  organization: OrgRef | null;
  application: { id: string; name: string; statementUrl: boolean } | null;
  statement: {
    id: string;
    status: "active" | "revoked";
    origin: "generated" | "uploaded";
    fingerprint: string;
    createdAt: Date;
    revokedAt: Date | null;
    revokedReason: string | null;
    registrationCount: number;
  } | null;
  registration: {
    clientId: string;
    createdAt: Date;
    platform: string | null;
    deviceModel: string | null;
    tokenCount: number;
    lastTokenAt: Date | null;
    simulated: boolean;
  } | null;
  token: { jti: string; issuedAt: Date; expiresAt: Date } | null;
  refusal: RefusalView | null;
  member: {
    id: string;
    email: string;
    name: string;
    role: string;
    memberships: { organization: OrgRef; role: string; disabled: boolean }[];
  } | null;
  /** An application's statements, newest first (at most STORY_ROWS). */
  statements: { id: string; status: "active" | "revoked"; createdAt: Date; fingerprint: string }[];
  timeline: StoryEntry[];
};

const STORY_ROWS = 20;
const orgSelect = { select: { id: true, slug: true, name: true } } as const;

/**
 * The story of one found thing. `scope` is the organization holding it, as the caller reaches it (the page and
 * the API resolve it with holderOf and scopeForOrg); null for a refusal that named nothing stored here (only
 * representatives reach those). A member account is no organization's: its story shows what `storyReach` lets
 * this caller see in `scope` (the caller's own, or null where it has chosen none).
 */
export async function storyOf(
  caller: Caller,
  scope: OrgScope | null,
  kind: FindKind,
  id: string,
): Promise<Story> {
  const story: Story = {
    kind,
    id,
    organization: scope?.org ?? null,
    application: null,
    statement: null,
    registration: null,
    token: null,
    refusal: null,
    member: null,
    statements: [],
    timeline: [],
  };
  const orgId = scope?.org.id;
  let clientId: string | null = null;
  let statementId: string | null = null;
  let applicationId: string | null = null;

  if (kind === "refusal") {
    const row = await db.refusal.findFirst({
      where: { id, organizationId: orgId ?? null, at: { gte: refusalCutoff() } },
    });
    if (!row) throw new NotFoundError("Refusal");
    const { userAgent: _ignored, ...refusal } = row;
    story.refusal = refusal;
    ({ clientId, statementId, applicationId } = row);
  } else if (kind === "token") {
    const row = await db.accessToken.findFirst({
      where: { jti: id, organizationId: orgId },
      include: { registration: { select: { clientId: true } } },
    });
    if (!row) throw new NotFoundError("Access token");
    story.token = { jti: row.jti, issuedAt: row.issuedAt, expiresAt: row.expiresAt };
    clientId = row.registration.clientId;
  } else if (kind === "client") {
    clientId = id;
  } else if (kind === "statement") {
    statementId = id;
  } else if (kind === "application") {
    applicationId = id;
  } else {
    return memberStory(story, storyReach(caller, scope), id);
  }

  if (clientId && orgId) {
    const row = await db.clientRegistration.findFirst({
      where: { clientId, organizationId: orgId },
      include: withTokenTally,
    });
    if (!row && kind === "client") throw new NotFoundError("Registration");
    if (row) {
      story.registration = {
        clientId: row.clientId,
        createdAt: row.createdAt,
        platform: row.platform,
        deviceModel: row.deviceModel,
        ...tokenTally(row.tallies),
        simulated: row.simulated,
      };
      statementId = row.statementId;
    }
  }
  if (statementId && orgId) {
    const row = await db.softwareStatement.findFirst({
      where: { id: statementId, organizationId: orgId },
      include: forView,
    });
    if (!row && kind === "statement") throw new NotFoundError("Statement");
    if (row) {
      const { id, status, origin, fingerprint, createdAt, revokedAt, revokedReason, registrationCount } =
        toView(row);
      story.statement = {
        id,
        status,
        origin,
        fingerprint,
        createdAt,
        revokedAt,
        revokedReason,
        registrationCount,
      };
      applicationId = row.applicationId;
    }
  }
  if (applicationId && orgId) {
    const row = await db.application.findFirst({
      where: { id: applicationId, organizationId: orgId },
      select: { id: true, name: true, statementUrl: true },
    });
    if (!row && kind === "application") throw new NotFoundError("Application");
    story.application = row;
  }

  story.timeline = sortByTime(await timeline(story, scope));
  return story;
}

/** What happened to the story's registration, statement and application: each source's newest rows. */
async function timeline(story: Story, scope: OrgScope | null): Promise<StoryEntry[]> {
  const { registration: reg, statement, application, refusal, token } = story;
  const entries: StoryEntry[] = [];
  const reads: Promise<void>[] = [];
  const history = (targetId: string) =>
    scope
      ? listAuditEvents(scope, { targetId, limit: STORY_ROWS }).then((page) => {
          for (const event of page.items) entries.push(auditEntry(event));
        })
      : Promise.resolve();

  if (refusal) entries.push(refusalEntry(refusal, true));
  if (reg) {
    entries.push({
      at: reg.createdAt,
      kind: "registration",
      title: "Client registered",
      detail:
        [reg.platform, reg.deviceModel, reg.simulated ? "simulated" : null].filter(Boolean).join(" · ") ||
        null,
      href: `/registrations/${reg.clientId}`,
      subject: story.kind === "client",
    });
    reads.push(
      db.accessToken
        .findMany({
          where: { registration: { clientId: reg.clientId } },
          orderBy: { issuedAt: "desc" },
          take: STORY_ROWS,
        })
        .then((rows) => {
          for (const t of rows)
            entries.push({
              at: t.issuedAt,
              kind: "token",
              title: "Access token issued",
              detail: `jti ${t.jti}, expires ${t.expiresAt.toISOString()}`,
              href: null,
              subject: token?.jti === t.jti,
            });
          if (token && !rows.some((t) => t.jti === token.jti))
            entries.push({
              at: token.issuedAt,
              kind: "token",
              title: "Access token issued",
              detail: `jti ${token.jti}, expires ${token.expiresAt.toISOString()}`,
              href: null,
              subject: true,
            });
        }),
      refusalsWhere({ clientId: reg.clientId }, refusal, entries),
      history(reg.clientId),
    );
  } else if (statement) {
    reads.push(
      refusalsWhere({ statementId: statement.id }, refusal, entries),
      db.clientRegistration
        .findMany({
          where: { statementId: statement.id },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: 5,
        })
        .then((rows) => {
          for (const r of rows)
            entries.push({
              at: r.createdAt,
              kind: "registration",
              title: `Client ${r.clientId} registered`,
              detail: r.platform,
              href: `/registrations/${r.clientId}`,
              subject: false,
            });
        }),
    );
  }
  if (statement) reads.push(history(statement.id));
  if (application && story.kind === "application") {
    reads.push(
      history(application.id),
      db.softwareStatement
        .findMany({
          where: { applicationId: application.id },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: STORY_ROWS,
          select: { id: true, status: true, createdAt: true, fingerprint: true },
        })
        .then((rows) => {
          story.statements = rows.map((s) => ({
            ...s,
            status: s.status === "ACTIVE" ? "active" : "revoked",
          }));
        }),
    );
  }
  await Promise.all(reads);
  return entries;
}

async function refusalsWhere(
  where: { clientId: string } | { statementId: string },
  found: RefusalView | null,
  entries: StoryEntry[],
) {
  const rows = await db.refusal.findMany({
    where: { ...where, at: { gte: refusalCutoff() } },
    orderBy: { at: "desc" },
    take: STORY_ROWS,
  });
  for (const r of rows) if (r.id !== found?.id) entries.push(refusalEntry(r, false));
}

function refusalEntry(r: RefusalView, subject: boolean): StoryEntry {
  return {
    at: r.at,
    kind: "refusal",
    title: `Refused ${ENDPOINT_LABELS[r.endpoint] ?? r.endpoint}: ${r.status} ${r.code}`,
    detail: `${r.description ?? ""} (reason: ${r.reason}${r.requestId ? `, request ${r.requestId}` : ""})`,
    href: `/find/refusal/${r.id}`,
    subject,
  };
}

function auditEntry(event: AuditEventSummary): StoryEntry {
  return {
    at: event.createdAt,
    kind: "audit",
    title: event.action,
    detail: event.actorEmail ? `by ${event.actorEmail}${event.actingFor ? " (acting for)" : ""}` : null,
    href: `/audit/${event.id}`,
    subject: false,
    event,
  };
}

/** Oldest first, and each entry once (the same audit event can be about the client and its statement). */
function sortByTime(entries: StoryEntry[]): StoryEntry[] {
  const seen = new Set<string>();
  return entries
    .filter((e) => {
      const key = e.event ? `audit:${e.event.id}` : null;
      if (!key) return true;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** A member account: its memberships in the organizations `reach` names, and what it did there lately. */
async function memberStory(story: Story, reach: string[] | null, userId: string): Promise<Story> {
  const user = await db.user.findUnique({
    where: { id: userId },
    include: {
      memberships: {
        where: reach ? { organizationId: { in: reach } } : {},
        include: { organization: orgSelect },
      },
    },
  });
  if (!user) throw new NotFoundError("Member");
  story.member = {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    memberships: user.memberships.map((m) => ({
      organization: m.organization,
      role: m.role,
      disabled: m.disabledAt !== null,
    })),
  };
  const events = await latestAuditEventsBy(user.id, reach, STORY_ROWS);
  story.timeline = sortByTime(events.map(auditEntry));
  return story;
}
