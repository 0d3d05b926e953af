import { adminRoute, json } from "@/lib/api/handler";
import { scopeForOrg } from "@/lib/auth/scope";
import { NotFoundError } from "@/lib/errors";
import { FIND_KINDS, holderOf } from "@/lib/find/service";
import { storyOf } from "@/lib/find/story";

/** The story of a found thing (`kind` as Find's matches say). A representative's reading is recorded. */
export const GET = adminRoute<{ kind: string; id: string }>(async ({ params, caller }) => {
  const kind = FIND_KINDS.find((k) => k === params.kind);
  const held = kind && params.id.length <= 200 ? await holderOf(caller, null, kind, params.id) : undefined;
  if (!kind || !held) throw new NotFoundError("Found object");
  const scope = held.organization ? await scopeForOrg(caller, held.organization.slug) : null;
  return json(await storyOf(caller, scope, kind, params.id));
});
