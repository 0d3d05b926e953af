import "server-only";
import { z } from "zod";
import { optionalDate, optionalText, parseInput } from "@/lib/validation";
import { type OrgScope } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { afterCursor, newestFirst, pageQuerySchema, toPage, type Page } from "@/lib/pagination";
import { activityTotals } from "@/lib/activity/service";

export type RegistrationStatus = "active" | "cut_off";

export type RegistrationView = {
  clientId: string;
  statementId: string;
  statementFingerprint: string;
  applicationId: string;
  applicationName: string;
  deviceInfo: Record<string, unknown> | null;
  platform: string | null;
  deviceModel: string | null;
  redirectUri: string | null;
  ip: string | null;
  userAgent: string | null;
  simulated: boolean;
  tokenCount: number;
  lastTokenAt: Date | null;
  issuedAt: Date;
  status: RegistrationStatus;
};

const include = {
  statement: { select: { fingerprint: true, status: true } },
  application: { select: { name: true } },
  tallies: { select: { tokens: true, lastTokenAt: true } },
} as const;

/** What tokenTally reads of a registration: the shards of its tally. */
export const withTokenTally = { tallies: include.tallies } as const;

type Row = Prisma.ClientRegistrationGetPayload<{ include: typeof include }>;

function toView(r: Row): RegistrationView {
  return {
    clientId: r.clientId,
    statementId: r.statementId,
    statementFingerprint: r.statement.fingerprint,
    applicationId: r.applicationId,
    applicationName: r.application.name,
    deviceInfo: r.deviceInfo ? (JSON.parse(r.deviceInfo) as Record<string, unknown>) : null,
    platform: r.platform,
    deviceModel: r.deviceModel,
    redirectUri: r.redirectUri,
    ip: r.ip,
    userAgent: r.userAgent,
    simulated: r.simulated,
    ...tokenTally(r.tallies),
    issuedAt: r.createdAt,
    status: r.statement.status === "ACTIVE" ? "active" : "cut_off",
  };
}

/** A client's token count and last token, from the shards of its tally (ClientTally). */
export function tokenTally(shards: { tokens: number; lastTokenAt: Date }[]) {
  let tokenCount = 0;
  let lastTokenAt: Date | null = null;
  for (const shard of shards) {
    tokenCount += shard.tokens;
    if (!lastTokenAt || shard.lastTokenAt > lastTokenAt) lastTokenAt = shard.lastTokenAt;
  }
  return { tokenCount, lastTokenAt };
}

export const registrationFilterSchema = pageQuerySchema.extend({
  statementId: optionalText(64),
  applicationId: optionalText(64),
  platform: optionalText(64),
  status: z
    .enum(["active", "cut_off"])
    .optional()
    .or(z.literal("").transform(() => undefined)),
  from: optionalDate({ endOfDay: false }),
  to: optionalDate({ endOfDay: true }),
  simulated: z
    .enum(["show", "hide", "only"])
    .default("show")
    .or(z.literal("").transform(() => "show" as const)),
});
export type RegistrationFilter = z.input<typeof registrationFilterSchema>;

/**
 * A status filter is a property of the statement, not of the registration row. Walking the organization's
 * index and skipping rows of the other status costs every row skipped: at 1,000,000 active registrations a list
 * of a revoked statement's few clients took ~570 ms (its last page has to look at all of them to know it is the
 * last). With a handful of statements of that status, each statement's own (statementId, createdAt, id) index
 * gives its next page directly, and the pages are merged.
 */
const MERGED_STATEMENTS_MAX = 20;

const newestFirstOrder = (a: Row, b: Row) =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** The organization's registrations, newest first, filtered; keyset-paged so page 1,000 costs what page 1 does. */
export async function listRegistrations(
  scope: OrgScope,
  query: unknown = {},
): Promise<Page<RegistrationView>> {
  const valid = parseInput(registrationFilterSchema, query, "Invalid filter.");
  const { limit, cursor, statementId, applicationId, platform, status, from, to, simulated } = valid;
  const filters: Prisma.ClientRegistrationWhereInput = {
    ...(applicationId && { applicationId }),
    ...(platform && { platform }),
    ...((from || to) && { createdAt: { ...(from && { gte: from }), ...(to && { lte: to }) } }),
    ...(simulated === "hide" && { simulated: false }),
    ...(simulated === "only" && { simulated: true }),
    AND: [afterCursor(cursor)],
  };
  const find = (where: Prisma.ClientRegistrationWhereInput) =>
    db.clientRegistration.findMany({ where, orderBy: newestFirst, take: limit + 1, include });
  const organizationId = scope.org.id;
  let rows: Row[];
  if (status) {
    const statementStatus = status === "active" ? "ACTIVE" : "REVOKED";
    const statements = await db.softwareStatement.findMany({
      where: { organizationId, status: statementStatus, ...(statementId && { id: statementId }) },
      select: { id: true },
      take: MERGED_STATEMENTS_MAX + 1,
    });
    if (statements.length <= MERGED_STATEMENTS_MAX) {
      // By statement id alone: the ids are this organization's, and no organization index competes for the plan.
      const pages = await Promise.all(statements.map(({ id }) => find({ ...filters, statementId: id })));
      rows = pages
        .flat()
        .sort(newestFirstOrder)
        .slice(0, limit + 1);
    } else {
      rows = await find({
        ...filters,
        organizationId,
        ...(statementId && { statementId }),
        statement: { status: statementStatus },
      });
    }
  } else {
    rows = await find({ ...filters, organizationId, ...(statementId && { statementId }) });
  }
  const page = toPage(rows, limit);
  return { ...page, items: page.items.map(toView) };
}

export type TokenView = {
  id: string;
  jti: string;
  issuedAt: Date;
  expiresAt: Date;
  status: "active" | "expired" | "cut_off";
};

export async function getRegistration(
  scope: OrgScope,
  clientId: string,
): Promise<RegistrationView & { tokens: TokenView[] }> {
  const row = await db.clientRegistration.findFirst({
    where: { clientId: String(clientId), organizationId: scope.org.id },
    include: { ...include, tokens: { orderBy: { issuedAt: "desc" }, take: 50 } },
  });
  if (!row) throw new NotFoundError("Registration");
  const view = toView(row);
  const now = Date.now();
  return {
    ...view,
    tokens: row.tokens.map((t) => ({
      id: t.id,
      jti: t.jti,
      issuedAt: t.issuedAt,
      expiresAt: t.expiresAt,
      status: view.status === "cut_off" ? "cut_off" : t.expiresAt.getTime() > now ? "active" : "expired",
    })),
  };
}

/** The Overview's client figures: every registration (the statements' tallies) and the recent windows. */
export async function registrationActivity(scope: OrgScope) {
  const [total, windows] = await Promise.all([
    registrationsOf({ organizationId: scope.org.id }),
    activityTotals(scope),
  ]);
  return { total, ...windows };
}

/** Registrations of one application: the sum of its statements' tallies, never a count of rows. */
export function applicationRegistrationCount(scope: OrgScope, applicationId: string): Promise<number> {
  return registrationsOf({ organizationId: scope.org.id, applicationId: String(applicationId) });
}

async function registrationsOf(statements: Prisma.SoftwareStatementWhereInput): Promise<number> {
  const sum = await db.statementTally.aggregate({
    where: { statement: statements },
    _sum: { registrations: true },
  });
  return sum._sum.registrations ?? 0;
}
