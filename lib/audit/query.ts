import "server-only";
import { z } from "zod";
import { optionalDate, optionalText, parseInput } from "@/lib/validation";
import type { OrgScope } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { afterCursor, newestFirst, pageQuerySchema, toPage, type Page } from "@/lib/pagination";
import { withTargetNames } from "./names";
import { verifyAuditChain, type ChainVerification } from "./verify";

export type AuditEventSummary = {
  id: string;
  createdAt: Date;
  action: string;
  actorEmail: string | null;
  actorRole: string | null;
  actingFor: boolean;
  targetType: string | null;
  targetId: string | null;
  /** What people call the object (lib/audit/names.ts); null when it has no name to show. */
  targetName: string | null;
  ip: string | null;
};

const summary = {
  id: true,
  createdAt: true,
  action: true,
  actorEmail: true,
  actorRole: true,
  actingFor: true,
  targetType: true,
  targetId: true,
  ip: true,
} as const;

/**
 * An organization's newest events (its own chain only). Callers pass an organization they have scoped. With
 * `people`, only what people did: system events (client registrations, refused tokens) are counted elsewhere.
 */
export async function latestAuditEvents(
  organizationId: string,
  limit = 10,
  { people = false } = {},
): Promise<AuditEventSummary[]> {
  const rows = await db.auditEvent.findMany({
    where: { organizationId, ...(people && { actorEmail: { not: null } }) },
    orderBy: newestFirst,
    take: Math.min(limit, 200),
    select: summary,
  });
  return withTargetNames(organizationId, rows);
}

/**
 * What one person did lately (newest first): in the organizations named, or — for a representative who has
 * chosen none — everywhere. Callers pass what the caller reaches (lib/find's storyReach), never more.
 */
export async function latestAuditEventsBy(
  actorUserId: string,
  organizationIds: string[] | null,
  limit = 20,
): Promise<AuditEventSummary[]> {
  const rows = await db.auditEvent.findMany({
    where: { actorUserId, ...(organizationIds && { organizationId: { in: organizationIds } }) },
    orderBy: newestFirst,
    take: Math.min(limit, 200),
    select: summary,
  });
  return rows.map((row) => ({ ...row, targetName: null }));
}

/** `action` is exact (`statement.revoked`) or a prefix ending in `.*` (`statement.*`). */
export const auditFilterSchema = z.object({
  action: optionalText(100).refine((v) => !v || /^[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?$/i.test(v), {
    message: "Use an action such as statement.revoked, or a prefix such as statement.*",
  }),
  actor: optionalText(320),
  targetId: optionalText(200),
  since: optionalDate({ endOfDay: false }),
  until: optionalDate({ endOfDay: true }),
});
export type AuditFilter = z.output<typeof auditFilterSchema>;

export const auditPageSchema = pageQuerySchema.extend(auditFilterSchema.shape);

export function parseAuditFilter<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  return parseInput(schema, query, "Invalid filter.");
}

/** The `where` of the organization's events matching the filter: never another organization's. */
export function auditWhere(scope: OrgScope, filter: AuditFilter): Prisma.AuditEventWhereInput {
  const { actor, targetId, since, until } = filter;
  // Actions are lower-case names. Lower-casing the filter makes `Statement.*` match on PostgreSQL (whose LIKE is
  // case-sensitive) exactly as it does on SQLite (whose LIKE is not).
  const action = filter.action?.toLowerCase();
  return {
    organizationId: scope.org.id,
    ...(action && (action.endsWith(".*") ? { action: { startsWith: action.slice(0, -1) } } : { action })),
    ...(actor && { actorEmail: actor }),
    ...(targetId && { targetId }),
    ...((since || until) && {
      createdAt: { ...(since && { gte: since }), ...(until && { lte: until }) },
    }),
  };
}

/** The organization's events, newest first, filtered; keyset-paged so page 1,000 costs what page 1 does. */
export async function listAuditEvents(
  scope: OrgScope,
  query: unknown = {},
): Promise<Page<AuditEventSummary>> {
  const { limit, cursor, ...filter } = parseAuditFilter(auditPageSchema, query);
  const rows = await db.auditEvent.findMany({
    where: { ...auditWhere(scope, filter), AND: [afterCursor(cursor)] },
    orderBy: newestFirst,
    take: limit + 1,
    select: summary,
  });
  const page = toPage(rows, limit);
  return { ...page, items: await withTargetNames(scope.org.id, page.items) };
}

export type AuditEventDetail = Awaited<ReturnType<typeof getAuditEvent>>;

/** One event of the organization, with its snapshots parsed; another organization's event is not found. */
export async function getAuditEvent(scope: OrgScope, id: string) {
  const row = await db.auditEvent.findFirst({ where: { id, organizationId: scope.org.id } });
  if (!row) throw new NotFoundError("Audit event");
  const [named] = await withTargetNames(scope.org.id, [row]);
  return { ...named!, before: parseSnapshot(row.before), after: parseSnapshot(row.after) };
}

function parseSnapshot(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The newest events about one object (an application, statement or client), for its History card. */
export async function auditHistoryOf(scope: OrgScope, targetId: string, limit = 20) {
  return listAuditEvents(scope, { targetId, limit });
}

/** Checks the organization's whole hash chain; the result names the first event where it breaks. */
export async function verifyOrganizationAudit(scope: OrgScope): Promise<ChainVerification> {
  return verifyAuditChain(scope.org.id);
}
