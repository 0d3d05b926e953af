import { db } from "@/lib/db";

export const dynamic = "force-dynamic";

const headers = { "Cache-Control": "no-store" };

/**
 * For load balancers and uptime checks (no sign-in: proxy.ts and lib/auth/config let it through): 200 when the
 * database answers `SELECT 1`, 503 when it does not.
 */
export async function GET() {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return Response.json({ status: "ok", database: "ok" }, { headers });
  } catch {
    return Response.json({ status: "error", database: "unreachable" }, { status: 503, headers });
  }
}
