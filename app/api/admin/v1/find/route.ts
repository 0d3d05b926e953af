import { adminRoute, json, readJson } from "@/lib/api/handler";
import { find } from "@/lib/find/service";

/**
 * `{ q }` → `{ matches, jwt }`: what a pasted identifier names (docs/support.md). A POST, so a pasted JWT
 * never travels in a URL; members search their organizations, representatives every one.
 */
export const POST = adminRoute(async ({ request, caller }) =>
  json(await find(caller, null, await readJson(request))),
);
