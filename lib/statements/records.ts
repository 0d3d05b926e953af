import "server-only";
import type { OrgScope } from "@/lib/auth/scope";
import type { Tx } from "@/lib/db";
import type { SoftwareStatement } from "@/lib/generated/prisma/client";
import { claimDate } from "./dates";
import type { VerifiedStatement } from "./verify";

/** How a stored statement is shown and audited, and how a verified one is stored. */
export type StatementView = {
  id: string;
  applicationId: string;
  applicationName: string;
  software_statement: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  fingerprint: string;
  issuer: string;
  subject: string | null;
  kid: string | null;
  algorithm: string;
  origin: "generated" | "uploaded";
  status: "active" | "revoked";
  registrationCount: number;
  createdByEmail: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  revokedByEmail: string | null;
  revokedReason: string | null;
};

type Row = SoftwareStatement & { application: { name: string }; tallies: { registrations: number }[] };

export function toView(row: Row): StatementView {
  return {
    id: row.id,
    applicationId: row.applicationId,
    applicationName: row.application.name,
    software_statement: row.jwt,
    header: JSON.parse(row.header),
    claims: JSON.parse(row.claims),
    fingerprint: row.fingerprint,
    issuer: row.issuer,
    subject: row.subject,
    kid: row.kid,
    algorithm: row.algorithm,
    origin: row.origin === "GENERATED" ? "generated" : "uploaded",
    status: row.status === "ACTIVE" ? "active" : "revoked",
    registrationCount: row.tallies.reduce((sum, t) => sum + t.registrations, 0),
    createdByEmail: row.createdByEmail,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    revokedByEmail: row.revokedByEmail,
    revokedReason: row.revokedReason,
  };
}

/** What the audit trail keeps of a statement: never the JWT text itself. */
export function auditSnapshot(v: StatementView) {
  return {
    fingerprint: v.fingerprint,
    applicationId: v.applicationId,
    issuer: v.issuer,
    subject: v.subject,
    kid: v.kid,
    origin: v.origin,
    status: v.status,
    revokedReason: v.revokedReason ?? undefined,
  };
}

/** What toView reads besides the statement's row: its application's name and its registration tally's shards. */
export const forView = {
  application: { select: { name: true } },
  tallies: { select: { registrations: true } },
} as const;

/** The filename a download is saved under, as the vendor's dashboard names it. */
export function statementFilename(at = new Date()): string {
  return `software_statement_${at.getTime()}.txt`;
}

export async function storeStatement(
  tx: Tx,
  scope: OrgScope,
  v: VerifiedStatement,
  applicationId: string,
  origin: "GENERATED" | "UPLOADED",
): Promise<StatementView> {
  const { user } = scope.caller;
  const row = await tx.softwareStatement.create({
    data: {
      organizationId: scope.org.id,
      applicationId,
      jwt: v.jwt,
      header: JSON.stringify(v.header),
      claims: JSON.stringify(v.claims),
      fingerprint: v.fingerprint,
      issuer: v.issuer,
      subject: v.subject,
      softwareId: v.softwareId,
      jti: typeof v.claims.jti === "string" ? v.claims.jti : null,
      expiresAt: claimDate(v.claims.exp),
      kid: v.kid,
      algorithm: v.algorithm,
      origin,
      createdById: user.id,
      createdByEmail: user.email,
    },
    include: forView,
  });
  return toView(row);
}
