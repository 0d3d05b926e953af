import { orgRoute } from "@/lib/api/handler";
import { removeTrustedIssuer } from "@/lib/issuers/service";

/** Stops trusting the issuer → 204. Its statements no longer register, from the next call on. */
export const DELETE = orgRoute<{ org: string; id: string }>(async ({ params, scope }) => {
  await removeTrustedIssuer(scope, params.id);
  return new Response(null, { status: 204 });
});
