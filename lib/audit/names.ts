import "server-only";
import { db } from "@/lib/db";

/**
 * What people call an audit event's object: an application's name, a statement's fingerprint prefix and
 * application, a client's id prefix and application, a member's email, a token's or an issuer's name, a webhook's URL. Looked up
 * for a page of events at once (one query per kind of object), in the organization's own records only.
 */
export type TargetRef = { targetType: string | null; targetId: string | null };

const short = (text: string, n = 8) => (text.length > n ? `${text.slice(0, n)}…` : text);

export async function targetNames(organizationId: string, rows: TargetRef[]): Promise<Map<string, string>> {
  const ids = (type: string) => [
    ...new Set(rows.filter((r) => r.targetType === type && r.targetId).map((r) => r.targetId!)),
  ];
  const [applications, statements, clients, users, tokens, issuers, webhooks, organizations] =
    await Promise.all([
      lookup(ids("application"), (id) =>
        db.application.findMany({
          where: { id: { in: id }, organizationId },
          select: { id: true, name: true },
        }),
      ),
      lookup(ids("statement"), (id) =>
        db.softwareStatement.findMany({
          where: { id: { in: id }, organizationId },
          select: { id: true, fingerprint: true, application: { select: { name: true } } },
        }),
      ),
      lookup(ids("client"), (id) =>
        db.clientRegistration.findMany({
          where: { clientId: { in: id }, organizationId },
          select: { clientId: true, application: { select: { name: true } } },
        }),
      ),
      lookup(ids("user"), (id) =>
        db.user.findMany({
          where: { id: { in: id }, memberships: { some: { organizationId } } },
          select: { id: true, email: true },
        }),
      ),
      lookup(ids("token"), (id) =>
        db.personalAccessToken.findMany({
          where: { id: { in: id }, organizationId },
          select: { id: true, name: true },
        }),
      ),
      lookup(ids("issuer"), (id) =>
        db.trustedIssuer.findMany({
          where: { id: { in: id }, organizationId },
          select: { id: true, iss: true },
        }),
      ),
      lookup(ids("webhook"), (id) =>
        db.webhook.findMany({ where: { id: { in: id }, organizationId }, select: { id: true, url: true } }),
      ),
      lookup(ids("organization"), (id) =>
        db.organization.findMany({
          where: { id: { in: id.filter((i) => i === organizationId) } },
          select: { id: true, name: true },
        }),
      ),
    ]);
  const names = new Map<string, string>();
  for (const a of applications) names.set(a.id, a.name);
  for (const s of statements) names.set(s.id, `${short(s.fingerprint)} · ${s.application.name}`);
  for (const c of clients) names.set(c.clientId, `${short(c.clientId)} · ${c.application.name}`);
  for (const u of users) names.set(u.id, u.email);
  for (const t of tokens) names.set(t.id, t.name);
  for (const i of issuers) names.set(i.id, i.iss);
  for (const w of webhooks) names.set(w.id, w.url);
  for (const o of organizations) names.set(o.id, o.name);
  return names;
}

async function lookup<T>(ids: string[], query: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  return ids.length === 0 ? [] : query(ids);
}

/** Events with their object's name (null when it has none to show, or is gone). */
export async function withTargetNames<R extends TargetRef>(
  organizationId: string,
  rows: R[],
): Promise<(R & { targetName: string | null })[]> {
  const names = await targetNames(organizationId, rows);
  return rows.map((r) => ({ ...r, targetName: (r.targetId && names.get(r.targetId)) ?? null }));
}
