import { db } from "@/lib/db";

export const dynamic = "force-dynamic";

/** For load balancers and uptime checks: 200 when the database answers, 503 when it does not. */
export async function GET() {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return Response.json(
      { status: "ok", database: "reachable" },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch {
    return Response.json(
      { status: "error", database: "unreachable" },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
