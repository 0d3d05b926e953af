/**
 * Demo data: two organizations, an admin and a viewer, another org's admin, and a support representative.
 * Idempotent: existing organizations and users are left as they are (passwords included).
 * `--if-empty` (used by `npm start`) does nothing when any organization exists.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { withAudit, type AuditContext } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { GlobalRole, OrgRole } from "@/lib/generated/prisma/enums";

const SEED: AuditContext = {
  actor: { userId: null, email: null, role: "SYSTEM", actingFor: false },
  request: { requestId: "seed", ip: null, userAgent: null },
};

const ORGANIZATIONS = [
  { slug: "acme", name: "Acme Media" },
  { slug: "globex", name: "Globex Broadcasting" },
];

const USERS: { email: string; name: string; role: GlobalRole; org?: string; orgRole?: OrgRole }[] = [
  { email: "admin@acme.test", name: "Ada Admin", role: "USER", org: "acme", orgRole: "ADMIN" },
  { email: "viewer@acme.test", name: "Victor Viewer", role: "USER", org: "acme", orgRole: "VIEWER" },
  { email: "admin@globex.test", name: "Gloria Globex", role: "USER", org: "globex", orgRole: "ADMIN" },
  { email: "rep@support.test", name: "Rita Rep", role: "REP" },
];

async function seedOrganizations(): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const { slug, name } of ORGANIZATIONS) {
    const existing = await db.organization.findUnique({ where: { slug } });
    const org =
      existing ??
      (await withAudit(SEED, async (tx, audit) => {
        const created = await tx.organization.create({ data: { slug, name } });
        await audit({ action: "org.created", organizationId: created.id, targetType: "organization",
          targetId: created.id, after: { slug, name } });
        return created;
      }));
    ids.set(slug, org.id);
  }
  return ids;
}

async function seedUsers(orgIds: Map<string, string>): Promise<{ email: string; password: string }[]> {
  const created: { email: string; password: string }[] = [];
  for (const u of USERS) {
    if (await db.user.findUnique({ where: { email: u.email } })) continue;
    const password = env.SEED_PASSWORD ?? randomBytes(12).toString("base64url");
    const passwordHash = await hashPassword(password);
    const organizationId = u.org ? orgIds.get(u.org)! : null;
    await withAudit(SEED, async (tx, audit) => {
      const user = await tx.user.create({ data: { email: u.email, name: u.name, role: u.role, passwordHash } });
      if (organizationId && u.orgRole) {
        await tx.membership.create({ data: { userId: user.id, organizationId, role: u.orgRole } });
      }
      await audit({ action: "member.created", organizationId, targetType: "user", targetId: user.id,
        after: { email: u.email, name: u.name, globalRole: u.role, orgRole: u.orgRole ?? null } });
    });
    created.push({ email: u.email, password });
  }
  return created;
}

function announce(accounts: { email: string; password: string }[]) {
  if (accounts.length === 0) return;
  const lines = accounts.map((a) => `  ${a.email.padEnd(22)} ${a.password}`);
  const text = `Demo accounts (email, password):\n${lines.join("\n")}\n`;
  if (!env.SEED_PASSWORD) {
    const file = path.join(path.resolve(env.DATA_DIR), "demo-accounts.txt");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text, { mode: 0o600 });
    console.log(`\n${text}(also written to ${path.relative(process.cwd(), file)}, readable only by you)\n`);
  } else {
    console.log(`\n${text}`);
  }
}

async function main() {
  if (process.argv.includes("--if-empty") && (await db.organization.count()) > 0) return;
  const orgIds = await seedOrganizations();
  announce(await seedUsers(orgIds));
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => db.$disconnect());
