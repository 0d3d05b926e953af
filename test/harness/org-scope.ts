import type { OrgScope } from "@/lib/auth/scope";
import type { Db } from "@/lib/db";

const request = { requestId: "r", ip: "127.0.0.1", userAgent: "vitest" };

/**
 * A new organization with an admin and a viewer, and their scopes as services receive them: for tests that call
 * services in their own process on their own database (pass that test's lib/db).
 */
export async function orgWithMembers(db: Db, slug: string): Promise<{ admin: OrgScope; viewer: OrgScope }> {
  const org = await db.organization.create({
    data: { slug, name: slug.charAt(0).toUpperCase() + slug.slice(1) },
    select: { id: true, slug: true, name: true },
  });
  const member = async (name: string, role: "ADMIN" | "VIEWER") => {
    const user = await db.user.create({
      data: { email: `${name}@${slug}.test`, name, passwordHash: "x" },
      select: { id: true, email: true, name: true, role: true },
    });
    await db.membership.create({ data: { userId: user.id, organizationId: org.id, role } });
    return { user, memberships: [{ ...org, role }], request };
  };
  return {
    admin: { caller: await member("admin", "ADMIN"), org, role: "ADMIN", actingFor: false, canWrite: true },
    viewer: {
      caller: await member("viewer", "VIEWER"),
      org,
      role: "VIEWER",
      actingFor: false,
      canWrite: false,
    },
  };
}
