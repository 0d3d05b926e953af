import "server-only";
import { z } from "zod";
import { isRep, type Caller, type OrgRef, type OrgScope } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { refusalCutoff } from "@/lib/dcr/store";
import type { Prisma } from "@/lib/generated/prisma/client";
import { issuerKeysForOrg, issuerKeysOfAnyOrg } from "@/lib/issuers/service";
import { readableIdentity } from "@/lib/statements/identity";
import { parseInput } from "@/lib/validation";
import { inspectJwt, looksLikeJwt, type JwtVerdict } from "./jwt";
import type { FindKind } from "./paths";

/**
 * Find: one box that takes whatever a customer reads out (a client id, a request id from an error answer, a
 * statement's id, jti, fingerprint or the JWT itself, an access token or its jti, an application's id or name,
 * a member's email) and says what it names. Representatives reach every organization; members reach the
 * organization they are in. Each lookup is one indexed read (application names: a LIKE over one organization's
 * applications, or every organization's for a representative).
 */

export { FIND_KINDS } from "./paths";
export type { FindKind };

export type Match = {
  kind: FindKind;
  /** What the story page is opened with (/find/{kind}/{id}). */
  id: string;
  title: string;
  detail: string;
  at: Date | null;
  organization: OrgRef | null;
};

export type FindResult = { matches: Match[]; jwt: JwtVerdict | null };

export const findInputSchema = z.object({
  q: z
    .string({ message: "Type or paste something to find." })
    .trim()
    .min(3, "Type at least 3 characters.")
    .max(16_384, "That is longer than anything Find looks for (16 KiB)."),
});

const MAX_MATCHES = 10;
const org = { select: { id: true, slug: true, name: true } } as const;

/** The organizations a caller's Find reaches: null for all of them (a representative). */
export function reachOf(caller: Caller, scope: OrgScope | null): string[] | null {
  if (caller.onlyOrgId) return [caller.onlyOrgId];
  if (isRep(caller)) return null;
  return scope ? [scope.org.id] : caller.memberships.map((m) => m.id);
}

/**
 * The organizations a story may show rows of: what the caller could open on its own. A member account's story
 * lists only these memberships and events (an account can belong to organizations the caller does not); a
 * representative's are the organization it acts for, or all of them while it has chosen none. The page and the
 * admin API both come through here (storyOf).
 */
export function storyReach(caller: Caller, scope: OrgScope | null): string[] | null {
  if (isRep(caller) && !caller.onlyOrgId) return scope ? [scope.org.id] : null;
  return reachOf(caller, scope);
}

const inReach = (reach: string[] | null) => (reach ? { organizationId: { in: reach } } : {});

export async function find(caller: Caller, scope: OrgScope | null, input: unknown): Promise<FindResult> {
  const { q } = parseInput(findInputSchema, input);
  const reach = reachOf(caller, scope);
  if (looksLikeJwt(q)) return findJwt(q, reach);
  if (q.length > 512) return { matches: [], jwt: null };
  if (q.includes("@")) return { matches: await members(q.toLowerCase(), reach), jwt: null };
  const found = await Promise.all([
    clients(q, reach),
    refusals(q, reach),
    tokens(q, reach),
    statements(q, reach),
    applications(q, reach),
  ]);
  return { matches: found.flat().slice(0, MAX_MATCHES * 2), jwt: null };
}

/** A pasted JWT: what it is and whether it verifies, and the token or statement it is (never stored). */
async function findJwt(jwt: string, reach: string[] | null): Promise<FindResult> {
  // The statement it is, by identity: another text of a stored statement finds that statement.
  const fingerprint = readableIdentity(jwt);
  const stored = fingerprint
    ? await db.softwareStatement.findUnique({ where: { fingerprint }, select: { organizationId: true } })
    : null;
  const reachable = stored && (!reach || reach.includes(stored.organizationId));
  const keys = reachable
    ? issuerKeysForOrg(stored.organizationId)
    : reach?.length === 1
      ? issuerKeysForOrg(reach[0]!)
      : issuerKeysOfAnyOrg;
  const verdict = await inspectJwt(jwt, keys);
  if (!verdict) return { matches: [], jwt: null };
  if (verdict.kind === "access_token") {
    const jti = String(verdict.claims.jti ?? "");
    return { matches: verdict.verifies && jti ? await tokens(jti, reach) : [], jwt: verdict };
  }
  if (reachable && fingerprint) return { matches: await statements(fingerprint, reach), jwt: verdict };
  // Not stored here: what its jti or software_id names, if anything.
  const named = [verdict.claims.jti, verdict.claims.software_id, verdict.claims.sub].filter(
    (v): v is string => typeof v === "string",
  );
  const related = await Promise.all(
    named.map((v) => Promise.all([statements(v, reach), applications(v, reach)])),
  );
  return { matches: dedupe(related.flat(2)), jwt: verdict };
}

function dedupe(matches: Match[]): Match[] {
  const seen = new Set<string>();
  return matches.filter((m) => !seen.has(`${m.kind}:${m.id}`) && Boolean(seen.add(`${m.kind}:${m.id}`)));
}

async function clients(q: string, reach: string[] | null): Promise<Match[]> {
  const row = await db.clientRegistration.findUnique({
    where: { clientId: q },
    include: { organization: org, application: { select: { name: true } } },
  });
  if (!row || (reach && !reach.includes(row.organizationId))) return [];
  return [
    {
      kind: "client",
      id: row.clientId,
      title: `Client ${row.clientId}`,
      detail: `Registered with a statement of ${row.application.name}${row.platform ? ` on ${row.platform}` : ""}`,
      at: row.createdAt,
      organization: row.organization,
    },
  ];
}

async function refusals(q: string, reach: string[] | null): Promise<Match[]> {
  const rows = await db.refusal.findMany({
    where: {
      requestId: q,
      at: { gte: refusalCutoff() },
      ...(reach && { organizationId: { in: reach } }),
    },
    orderBy: { at: "desc" },
    take: MAX_MATCHES,
  });
  const orgs = await organizationsById(rows.map((r) => r.organizationId));
  return rows.map((r) => ({
    kind: "refusal",
    id: r.id,
    title: `Refused ${ENDPOINT_LABELS[r.endpoint] ?? r.endpoint}: ${r.code}`,
    detail: r.description ?? r.reason,
    at: r.at,
    organization: r.organizationId ? (orgs.get(r.organizationId) ?? null) : null,
  }));
}

export const ENDPOINT_LABELS: Record<string, string> = {
  register: "registration",
  token: "token request",
  introspect: "introspection",
  resource: "protected resource call",
  statement: "statement URL fetch",
};

async function tokens(q: string, reach: string[] | null): Promise<Match[]> {
  const row = await db.accessToken.findUnique({
    where: { jti: q },
    include: { registration: { select: { clientId: true, organization: org } } },
  });
  if (!row || (reach && !reach.includes(row.organizationId))) return [];
  return [
    {
      kind: "token",
      id: row.jti,
      title: `Access token ${row.jti}`,
      detail: `Issued to client ${row.registration.clientId}`,
      at: row.issuedAt,
      organization: row.registration.organization,
    },
  ];
}

async function statements(q: string, reach: string[] | null): Promise<Match[]> {
  const or: Prisma.SoftwareStatementWhereInput[] = [{ id: q }, { jti: q }, { softwareId: q }];
  if (/^[0-9a-f]{64}$/i.test(q)) or.push({ fingerprint: q.toLowerCase() });
  const rows = await db.softwareStatement.findMany({
    where: { OR: or, ...inReach(reach) },
    include: { organization: org, application: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
    take: MAX_MATCHES,
  });
  return rows.map((s) => ({
    kind: "statement",
    id: s.id,
    title: `Statement of ${s.application.name}`,
    detail: `${s.status === "ACTIVE" ? "Active" : "Revoked"} · ${s.origin === "GENERATED" ? "generated" : "uploaded"} · ${s.fingerprint.slice(0, 12)}…`,
    at: s.createdAt,
    organization: s.organization,
  }));
}

async function applications(q: string, reach: string[] | null): Promise<Match[]> {
  const rows = await db.application.findMany({
    // `contains` is a LIKE: ASCII case-insensitive on SQLite, case-sensitive on PostgreSQL.
    where: { OR: [{ id: q }, { name: { contains: q } }], ...inReach(reach) },
    include: { organization: org },
    orderBy: { createdAt: "desc" },
    take: MAX_MATCHES,
  });
  return rows.map((a) => ({
    kind: "application",
    id: a.id,
    title: a.name,
    detail: `Application ${a.id} · version ${a.version}`,
    at: a.createdAt,
    organization: a.organization,
  }));
}

async function members(email: string, reach: string[] | null): Promise<Match[]> {
  const user = await db.user.findUnique({
    where: { email },
    include: { memberships: { where: inReach(reach), include: { organization: org } } },
  });
  if (!user) return [];
  // A member is found where the caller reaches one of their memberships; a representative finds any account.
  if (reach && user.memberships.length === 0) return [];
  const memberships = user.memberships.map((m) => `${m.organization.name} (${m.role.toLowerCase()})`);
  return [
    {
      kind: "member",
      id: user.id,
      title: `${user.name} <${user.email}>`,
      detail:
        user.role === "REP"
          ? "Support representative"
          : memberships.length
            ? `Member of ${memberships.join(", ")}`
            : "No organization",
      at: user.createdAt,
      // An account is no organization's: opening it makes nobody act for anything.
      organization: null,
    },
  ];
}

async function organizationsById(ids: (string | null)[]): Promise<Map<string, OrgRef>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (!wanted.length) return new Map();
  const rows = await db.organization.findMany({ where: { id: { in: wanted } }, ...org });
  return new Map(rows.map((o) => [o.id, o]));
}

/**
 * The organization holding what a story is about, when the caller reaches it; `null` for a refusal that named
 * nothing stored here (only representatives reach those). Anything else the caller cannot see is not found.
 */
export async function holderOf(
  caller: Caller,
  scope: OrgScope | null,
  kind: FindKind,
  id: string,
): Promise<{ organization: OrgRef | null } | undefined> {
  const reach = reachOf(caller, scope);
  const key = String(id).slice(0, 200);
  if (kind === "member") {
    const user = await db.user.findUnique({
      where: { id: key },
      select: { memberships: { where: inReach(reach), select: { organizationId: true } } },
    });
    if (!user || (reach && user.memberships.length === 0)) return undefined;
    // An account is no organization's: its story is read in the caller's own scope (storyReach).
    return { organization: scope?.org ?? null };
  }
  const organization = await organizationOf(kind, key);
  if (organization === undefined) return undefined;
  if (organization === null) return reach ? undefined : { organization: null };
  return !reach || reach.includes(organization.id) ? { organization } : undefined;
}

async function organizationOf(
  kind: Exclude<FindKind, "member">,
  id: string,
): Promise<OrgRef | null | undefined> {
  const select = { organization: org } as const;
  switch (kind) {
    case "client":
      return (await db.clientRegistration.findUnique({ where: { clientId: id }, select }))?.organization;
    case "statement":
      return (await db.softwareStatement.findUnique({ where: { id }, select }))?.organization;
    case "application":
      return (await db.application.findUnique({ where: { id }, select }))?.organization;
    case "token": {
      const row = await db.accessToken.findUnique({
        where: { jti: id },
        select: { registration: { select } },
      });
      return row?.registration.organization;
    }
    case "refusal": {
      const row = await db.refusal.findFirst({
        where: { id, at: { gte: refusalCutoff() } },
        select: { organizationId: true },
      });
      if (!row) return undefined;
      if (!row.organizationId) return null;
      return db.organization.findUnique({ where: { id: row.organizationId }, ...org });
    }
  }
}
