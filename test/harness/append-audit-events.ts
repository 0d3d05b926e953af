/**
 * Appends N audit events to one organization's chain, as a separate OS process would: used to prove that
 * writers in different processes never fork a chain. Usage: append-audit-events.ts <organizationId> <count>
 */
import { withAudit } from "@/lib/audit";
import { db } from "@/lib/db";

const [organizationId, count] = [process.argv[2]!, Number(process.argv[3])];
const ctx = {
  actor: { userId: null, email: `pid-${process.pid}@test`, role: "SYSTEM", actingFor: false },
  request: { requestId: null, ip: null, userAgent: null },
};

Promise.all(
  Array.from({ length: count }, (_, i) =>
    withAudit(ctx, (_tx, audit) => audit({ action: "test.appended", organizationId, after: { i } })),
  ),
)
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => db.$disconnect());
