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
import { createApplication } from "@/lib/applications/service";
import type { OrgScope } from "@/lib/auth/scope";
import { issueToken, registerClient } from "@/lib/dcr/core";
import { platformOf } from "@/lib/dcr/device-info";
import { DEVICE_PROFILES } from "@/lib/dcr/device-profiles";
import { OAuthError } from "@/lib/dcr/responses";
import { generateStatement, revokeStatement, type StatementView } from "@/lib/statements/service";

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
        await audit({
          action: "org.created",
          organizationId: created.id,
          targetType: "organization",
          targetId: created.id,
          after: { slug, name },
        });
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
      const user = await tx.user.create({
        data: { email: u.email, name: u.name, role: u.role, passwordHash },
      });
      if (organizationId && u.orgRole) {
        await tx.membership.create({ data: { userId: user.id, organizationId, role: u.orgRole } });
      }
      await audit({
        action: "member.created",
        organizationId,
        targetType: "user",
        targetId: user.id,
        after: { email: u.email, name: u.name, globalRole: u.role, orgRole: u.orgRole ?? null },
      });
    });
    created.push({ email: u.email, password });
  }
  return created;
}

function announce(accounts: { email: string; password: string }[]) {
  if (accounts.length === 0) return;
  if (env.SEED_PASSWORD) {
    // The operator chose it: never echo a configured secret into a log.
    const lines = accounts.map((a) => `  ${a.email}`);
    console.log(`\nDemo accounts (password: the SEED_PASSWORD you set):\n${lines.join("\n")}\n`);
    return;
  }
  const lines = accounts.map((a) => `  ${a.email.padEnd(22)} ${a.password}`);
  const text = `Demo accounts (email, password):\n${lines.join("\n")}\n`;
  const file = path.join(path.resolve(env.DATA_DIR), "demo-accounts.txt");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
  console.log(`\n${text}(also written to ${path.relative(process.cwd(), file)}, readable only by you)\n`);
}

type DemoApplication = {
  name: string;
  platforms: string[];
  domains: string[];
  channel?: string;
  clients: number;
  revoke?: string;
};

const DEMO_APPLICATIONS: Record<string, DemoApplication[]> = {
  acme: [
    {
      name: "Acme TV for tvOS",
      platforms: ["tvOS", "iOS"],
      domains: ["tv.acme.test", "acme.test"],
      channel: "Acme One",
      clients: 160,
    },
    {
      // A TV app: its devices are a Chromecast with Google TV (Android TV) and Fire TV sticks, not phones.
      name: "Acme Play for Android TV",
      platforms: ["Android", "FireTV"],
      domains: ["play.acme.test"],
      clients: 90,
      revoke: "Build 2.3.1 leaked on a public APK mirror; replaced by a new statement.",
    },
  ],
  globex: [{ name: "Globex Live for Roku", platforms: ["Roku"], domains: ["live.globex.test"], clients: 40 }],
};

/**
 * Demo client registrations, made through the real registration and token core (not raw inserts): varied
 * devices, about two thirds with tokens.
 */
async function seedRegistrations(
  statement: StatementView,
  platforms: string[],
  count: number,
  offset: number,
) {
  // Devices of the application's own platforms only: a Roku app is not registered from a web browser.
  const profiles = DEVICE_PROFILES.filter((p) => platforms.includes(platformOf(p.deviceInfo) ?? ""));
  for (let i = 0; i < count; i++) {
    const profile = profiles[(i * 7 + offset) % profiles.length]!;
    const request = {
      requestId: "seed",
      ip: `203.0.113.${(i + offset) % 250}`,
      userAgent: profile.userAgent,
    };
    const deviceInfo = {
      ...profile.deviceInfo,
      connectionType: i % 3 ? String(profile.deviceInfo.connectionType) : "Cellular",
    };
    const client = await registerClient({
      softwareStatement: statement.software_statement,
      redirectUri: null,
      deviceInfo,
      request,
    });
    for (let t = 0; t < i % 3; t++) {
      await issueToken(
        client.clientId,
        client.clientSecret,
        request,
        (d) => new OAuthError("invalid_client", d),
      );
    }
  }
}

/** Demo applications, each with a statement signed by this console, as their org's admin would make them. */
async function seedApplications(orgSlug: string, adminEmail: string) {
  const org = await db.organization.findUniqueOrThrow({ where: { slug: orgSlug } });
  if ((await db.application.count({ where: { organizationId: org.id } })) > 0) return;
  const admin = await db.user.findUniqueOrThrow({ where: { email: adminEmail } });
  const scope: OrgScope = {
    caller: {
      user: { id: admin.id, email: admin.email, name: admin.name, role: admin.role },
      memberships: [],
      request: SEED.request,
    },
    org: { id: org.id, slug: org.slug, name: org.name },
    role: "ADMIN",
    actingFor: false,
    canWrite: true,
  };
  for (const [index, demo] of (DEMO_APPLICATIONS[orgSlug] ?? []).entries()) {
    const app = await createApplication(scope, { ...demo, version: "1.0.0" });
    const statement = await generateStatement(scope, app.id);
    await seedRegistrations(statement, demo.platforms, demo.clients, index);
    if (demo.revoke) {
      await revokeStatement(scope, statement.id, { reason: demo.revoke });
      await seedRegistrations(await generateStatement(scope, app.id), demo.platforms, 30, index + 3);
    }
  }
}

async function main() {
  if (process.argv.includes("--if-empty") && (await db.organization.count()) > 0) return;
  const orgIds = await seedOrganizations();
  announce(await seedUsers(orgIds));
  await seedApplications("acme", "admin@acme.test");
  await seedApplications("globex", "admin@globex.test");
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => db.$disconnect());
