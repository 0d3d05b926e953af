import "server-only";
import { z } from "zod";
import type { OrgScope } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import type { AuditEvent } from "@/lib/generated/prisma/client";
import { afterCursor, encodeCursor, newestFirst } from "@/lib/pagination";
import { csvRow } from "./csv";
import { auditFilterSchema, auditWhere, parseAuditFilter } from "./query";

export const exportQuerySchema = auditFilterSchema.extend({
  format: z.enum(["csv", "ndjson"], { message: "Use format=csv or format=ndjson." }).default("csv"),
});
export type ExportFormat = "csv" | "ndjson";

const BATCH = 1000;

/** The exported columns, in order: everything an event stores. */
export const EXPORT_COLUMNS = [
  "id",
  "createdAt",
  "seq",
  "action",
  "actorEmail",
  "actorRole",
  "actingFor",
  "targetType",
  "targetId",
  "ip",
  "userAgent",
  "requestId",
  "before",
  "after",
  "prevHash",
  "hash",
  // Last, so that readers of the columns before it by position still read them: lanes came later.
  "chain",
] as const satisfies readonly (keyof AuditEvent)[];

/** The organization's matching events, newest first, read in keyset batches so memory stays flat. */
export async function* auditEventBatches(scope: OrgScope, query: unknown): AsyncGenerator<AuditEvent[]> {
  const { format: _format, ...filter } = parseAuditFilter(exportQuerySchema, query);
  const where = auditWhere(scope, filter);
  let cursor: string | undefined;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: { ...where, AND: [afterCursor(cursor)] },
      orderBy: newestFirst,
      take: BATCH,
    });
    if (rows.length > 0) yield rows;
    const last = rows[rows.length - 1];
    if (rows.length < BATCH || !last) return;
    cursor = encodeCursor(last);
  }
}

function ndjsonLine(e: AuditEvent): string {
  const parse = (text: string | null) => (text === null ? null : (JSON.parse(text) as unknown));
  return `${JSON.stringify({ ...e, before: parse(e.before), after: parse(e.after) })}\n`;
}

function encode(format: ExportFormat, rows: AuditEvent[]): string {
  if (format === "ndjson") return rows.map(ndjsonLine).join("");
  return rows.map((e) => csvRow(EXPORT_COLUMNS.map((c) => e[c]))).join("");
}

/**
 * The filtered events as a streamed CSV or NDJSON file. The filter is validated before anything is sent, so
 * a bad one is a 400 rather than a truncated file; rows are pulled only as fast as the client reads them.
 */
export function exportAuditEvents(scope: OrgScope, query: unknown) {
  const { format } = parseAuditFilter(exportQuerySchema, query);
  const batches = auditEventBatches(scope, query);
  const encoder = new TextEncoder();
  let headerSent = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent && format === "csv") {
        headerSent = true;
        controller.enqueue(encoder.encode(csvRow([...EXPORT_COLUMNS])));
        return;
      }
      const next = await batches.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(encode(format, next.value)));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const date = new Date().toISOString().slice(0, 10);
  return {
    filename: `audit-${scope.org.slug}-${date}.${format}`,
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
    stream,
  };
}
