import "server-only";
import { createPublicKey } from "node:crypto";
import { importJWK, type JSONWebKeySet, type JWK } from "jose";
import { z } from "zod";
import { withAudit } from "@/lib/audit";
import { auditContextOf, requireWrite, type OrgScope } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { publishedJwks } from "@/lib/keys/service";
import type { IssuerKeyResolver } from "@/lib/statements/verify";
import { parseInput } from "@/lib/validation";

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

const jwkSchema = z.looseObject({
  kty: z.string(),
  kid: z.string().max(256).optional(),
  alg: z.string().optional(),
});

export const issuerInputSchema = z
  .object({
    iss: z.string().trim().min(1, "Enter the issuer (the iss claim of its statements).").max(2048),
    jwks: z.union([z.string().max(65_536), z.object({ keys: z.array(jwkSchema) })]).optional(),
    pem: z.string().trim().max(16_384).optional(),
  })
  .refine((v) => Boolean(v.jwks) !== Boolean(v.pem), {
    message: "Give the issuer's public keys either as a JWKS or as one PEM public key, not both.",
    path: ["keys"],
  });

export type IssuerView = {
  id: string;
  iss: string;
  keyKind: "jwks" | "pem";
  kids: string[];
  createdByEmail: string | null;
  createdAt: Date;
};

export async function listTrustedIssuers(scope: OrgScope): Promise<IssuerView[]> {
  const rows = await db.trustedIssuer.findMany({
    where: { organizationId: scope.org.id },
    orderBy: { iss: "asc" },
    take: 500,
  });
  return rows.map(toView);
}

export async function addTrustedIssuer(scope: OrgScope, input: unknown): Promise<IssuerView> {
  requireWrite(scope);
  const valid = parseInput(issuerInputSchema, input);
  const { iss } = valid;
  if (iss === env.PUBLIC_URL)
    throw new ValidationError("This console's own statements are always trusted.", {
      iss: ["This is this console's own issuer."],
    });
  const keys =
    valid.jwks !== undefined
      ? { jwks: JSON.stringify(await checkedJwks(valid.jwks)) }
      : { pem: checkedPem(valid.pem!) };

  return withAudit(auditContextOf(scope), async (tx, audit) => {
    if (
      await tx.trustedIssuer.findUnique({
        where: { organizationId_iss: { organizationId: scope.org.id, iss } },
      })
    ) {
      throw new ConflictError(
        `Issuer ${iss} is already trusted in this organization. Remove it first to replace its keys.`,
      );
    }
    const { user } = scope.caller;
    const row = await tx.trustedIssuer.create({
      data: { organizationId: scope.org.id, iss, ...keys, createdById: user.id, createdByEmail: user.email },
    });
    const view = toView(row);
    await audit({
      action: "issuer.added",
      organizationId: scope.org.id,
      targetType: "issuer",
      targetId: row.id,
      after: { iss, keyKind: view.keyKind, kids: view.kids },
    });
    return view;
  });
}

export async function removeTrustedIssuer(scope: OrgScope, id: string): Promise<void> {
  requireWrite(scope);
  await withAudit(auditContextOf(scope), async (tx, audit) => {
    const row = await tx.trustedIssuer.findFirst({ where: { id: String(id), organizationId: scope.org.id } });
    if (!row) throw new NotFoundError("Trusted issuer");
    await tx.trustedIssuer.delete({ where: { id: row.id } });
    // Registrations re-verify what they verified before this, on every instance (lib/dcr/core.ts).
    await tx.organization.update({
      where: { id: scope.org.id },
      data: { issuerGeneration: { increment: 1 } },
    });
    const view = toView(row);
    await audit({
      action: "issuer.removed",
      organizationId: scope.org.id,
      targetType: "issuer",
      targetId: row.id,
      before: { iss: row.iss, keyKind: view.keyKind, kids: view.kids },
    });
  });
}

/** Keys for verifying an organization's uploads: this console's own JWKS, or the org's trusted issuers. */
export function issuerKeysForOrg(organizationId: string): IssuerKeyResolver {
  return issuerKeys({ organizationId });
}

/**
 * Keys for a statement no organization holds: this console's own, or those of every organization that trusts
 * the issuer. Only whether one verifies is used (forged versus unknown), never which organization it was.
 */
export const issuerKeysOfAnyOrg: IssuerKeyResolver = issuerKeys({});

function issuerKeys(where: { organizationId?: string }): IssuerKeyResolver {
  return async (iss) => {
    if (iss === env.PUBLIC_URL) return [{ jwks: (await publishedJwks()) as JSONWebKeySet }];
    const rows = await db.trustedIssuer.findMany({ where: { ...where, iss }, take: 100 });
    return rows.map((row) =>
      row.jwks ? { jwks: JSON.parse(row.jwks) as JSONWebKeySet } : { pem: row.pem! },
    );
  };
}

async function checkedJwks(value: string | { keys: unknown[] }): Promise<JSONWebKeySet> {
  const fail = (message: string) => new ValidationError(message, { jwks: [message] });
  let jwks: unknown = value;
  if (typeof value === "string") {
    try {
      jwks = JSON.parse(value);
    } catch {
      throw fail("The JWKS is not valid JSON.");
    }
  }
  const shape = z.object({ keys: z.array(jwkSchema).min(1).max(50) }).safeParse(jwks);
  if (!shape.success) throw fail('A JWKS is a JSON object with a "keys" array of 1 to 50 public keys.');
  for (const [i, key] of shape.data.keys.entries()) {
    if (PRIVATE_MEMBERS.some((m) => m in key))
      throw fail(`Key ${i + 1} contains private or secret key material: paste public keys only.`);
    try {
      await importJWK(key as JWK, key.alg ?? defaultAlg(key.kty, key.crv));
    } catch (error) {
      throw fail(`Key ${i + 1} is not a usable public key: ${(error as Error).message}`);
    }
  }
  return { keys: shape.data.keys as JWK[] };
}

function checkedPem(pem: string): string {
  const fail = (message: string) => new ValidationError(message, { pem: [message] });
  if (!pem.startsWith("-----BEGIN PUBLIC KEY-----"))
    throw fail('Paste a public key in PEM form, starting with "-----BEGIN PUBLIC KEY-----".');
  try {
    createPublicKey(pem);
  } catch {
    throw fail("The PEM text is not a valid public key.");
  }
  return pem;
}

function defaultAlg(kty: string, crv: unknown): string {
  if (kty === "EC") return "ES256";
  if (kty === "OKP" && crv === "Ed25519") return "EdDSA";
  return "RS256";
}

function toView(row: {
  id: string;
  iss: string;
  jwks: string | null;
  createdByEmail: string | null;
  createdAt: Date;
}): IssuerView {
  const kids = row.jwks ? (JSON.parse(row.jwks) as JSONWebKeySet).keys.map((k) => k.kid ?? "(no kid)") : [];
  return {
    id: row.id,
    iss: row.iss,
    keyKind: row.jwks ? "jwks" : "pem",
    kids,
    createdByEmail: row.createdByEmail,
    createdAt: row.createdAt,
  };
}
