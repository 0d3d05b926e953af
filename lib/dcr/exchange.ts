import type { RefusalReason } from "@/lib/activity/types";
import type { AuditEntry } from "@/lib/audit/event";

/**
 * A client-facing request and its answer, as the handlers (./handlers.ts) see them: only what both node:http
 * and the Fetch API can give, so the same handlers run behind the node:http hot path (server/hot-path.ts, no
 * WHATWG objects per request) and inside Next's route files (./fetch.ts).
 */
export interface ClientRequest {
  readonly method: string;
  /** The request target as sent: path and query string. */
  readonly target: string;
  /** A header's value (several joined by ", "), or null. Names are lower case. */
  header(name: string): string | null;
  /** The whole body, or null once it passes `limit` bytes (the rest is left unread). */
  body(limit: number): Promise<Buffer | null>;
}

export type ClientResponse = {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
  /** Set on an error answer, for its Refusal row (lib/dcr/core.ts, recordRefusal); never sent. */
  refusal?: Refused;
};

/** What an error answer said, and what the core knew of why and whose it was. */
export type Refused = { code: string; description: string; facts?: RefusalFacts };

/** Who a refused request was about, as far as it named something stored here. */
export type Whose = {
  organizationId: string;
  applicationId?: string;
  statementId?: string;
  clientId?: string;
};

/**
 * Why a request was refused, beyond its answer: the reason the audit trail and the Refusal row keep, whose it
 * was, the audit event it appends (registration and token refusals) and the rollup counter it adds to.
 */
export type RefusalFacts = {
  reason: string;
  whose?: Whose;
  audit?: AuditEntry;
  counted?: RefusalReason;
};

/** The query string of a request target, without its `?`. */
export function queryOf(target: string): string {
  const mark = target.indexOf("?");
  return mark === -1 ? "" : target.slice(mark + 1);
}

/** The path of a request target. */
export function pathOf(target: string): string {
  const mark = target.indexOf("?");
  return mark === -1 ? target : target.slice(0, mark);
}

/** Where an application's statement URL lives: this prefix and the application's id. */
export const STATEMENT_URL_PREFIX = "/o/client/statement/";
