/** What Find can find, each with a story page. */
export const FIND_KINDS = ["client", "statement", "token", "refusal", "application", "member"] as const;
export type FindKind = (typeof FIND_KINDS)[number];

/** Where a found thing's story is: /find/{kind}/{id}. */
export const storyHref = (found: { kind: string; id: string }) =>
  `/find/${found.kind}/${encodeURIComponent(found.id)}`;
