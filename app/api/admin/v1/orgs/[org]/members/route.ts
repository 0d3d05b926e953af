import { json, orgRoute, readJson } from "@/lib/api/handler";
import { addMember, listMembers } from "@/lib/members/service";

export const GET = orgRoute(async ({ scope }) => json({ items: await listMembers(scope), nextCursor: null }));

// A new account's `temporaryPassword` is in this response only: it is stored as an argon2id hash.
export const POST = orgRoute(async ({ request, scope }) =>
  json(await addMember(scope, await readJson(request)), 201),
);
