import "server-only";
import { withAudit } from "@/lib/audit";
import { auditContextOf, requireWrite, type OrgScope } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { Application } from "@/lib/generated/prisma/client";
import { afterCursor, newestFirst, pageQuerySchema, toPage, type Page } from "@/lib/pagination";
import { applicationInputSchema } from "./schema";
import { parseInput } from "@/lib/validation";
import { z } from "zod";

export type ApplicationView = {
  id: string;
  name: string;
  version: string;
  platforms: string[];
  domains: string[];
  channel: string | null;
  scopes: string[];
  createdByEmail: string | null;
  createdAt: Date;
  /** Whether GET /o/client/statement/{id} serves its newest active statement. */
  statementUrl: boolean;
};

export function toApplicationView(row: Application): ApplicationView {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    platforms: JSON.parse(row.platforms) as string[],
    domains: JSON.parse(row.domains) as string[],
    channel: row.channel,
    scopes: JSON.parse(row.scopes) as string[],
    createdByEmail: row.createdByEmail,
    createdAt: row.createdAt,
    statementUrl: row.statementUrl,
  };
}

export async function createApplication(scope: OrgScope, input: unknown): Promise<ApplicationView> {
  requireWrite(scope);
  const valid = parseInput(applicationInputSchema, input);
  const app = valid;
  const { user } = scope.caller;
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const row = await tx.application.create({
      data: {
        organizationId: scope.org.id,
        name: app.name,
        version: app.version,
        platforms: JSON.stringify(app.platforms),
        domains: JSON.stringify(app.domains),
        channel: app.channel,
        scopes: JSON.stringify(app.scopes),
        createdById: user.id,
        createdByEmail: user.email,
      },
    });
    const view = toApplicationView(row);
    await audit({
      action: "application.created",
      organizationId: scope.org.id,
      targetType: "application",
      targetId: row.id,
      after: { ...view, createdAt: undefined },
    });
    return view;
  });
}

export async function listApplications(
  scope: OrgScope,
  query: unknown = {},
): Promise<Page<ApplicationView & { statementCount: number }>> {
  const valid = parseInput(pageQuerySchema, query, "Invalid paging parameters.");
  const { limit, cursor } = valid;
  const rows = await db.application.findMany({
    where: { organizationId: scope.org.id, ...afterCursor(cursor) },
    orderBy: newestFirst,
    take: limit + 1,
    include: { _count: { select: { statements: true } } },
  });
  const page = toPage(rows, limit);
  return {
    ...page,
    items: page.items.map((r) => ({ ...toApplicationView(r), statementCount: r._count.statements })),
  };
}

/** All of the organization's applications, for pickers (bounded). */
export async function applicationChoices(
  scope: OrgScope,
): Promise<{ id: string; name: string; version: string }[]> {
  return db.application.findMany({
    where: { organizationId: scope.org.id },
    select: { id: true, name: true, version: true },
    orderBy: { name: "asc" },
    take: 500,
  });
}

export async function getApplication(scope: OrgScope, id: string): Promise<ApplicationView> {
  const row = await db.application.findFirst({ where: { id: String(id), organizationId: scope.org.id } });
  if (!row) throw new NotFoundError("Application");
  return toApplicationView(row);
}

export const statementUrlInputSchema = z.object({
  enabled: z.boolean({ message: "Say whether the statement URL is on: true or false." }),
});

/**
 * Turns an application's statement URL on or off (audited). Off, the URL answers 404 at once: apps that fetch
 * their statement from it keep the copy they have.
 */
export async function setStatementUrl(scope: OrgScope, id: string, input: unknown): Promise<ApplicationView> {
  requireWrite(scope);
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const before = await tx.application.findFirst({
      where: { id: String(id), organizationId: scope.org.id },
    });
    if (!before) throw new NotFoundError("Application");
    const { enabled } = parseInput(statementUrlInputSchema, input);
    if (before.statementUrl === enabled) return toApplicationView(before);
    const row = await tx.application.update({ where: { id: before.id }, data: { statementUrl: enabled } });
    await audit({
      action: enabled ? "application.statement_url_enabled" : "application.statement_url_disabled",
      organizationId: scope.org.id,
      targetType: "application",
      targetId: row.id,
      before: { statementUrl: before.statementUrl },
      after: { statementUrl: row.statementUrl },
    });
    return toApplicationView(row);
  });
}
