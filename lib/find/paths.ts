/** Where a found thing's story is: /find/{kind}/{id}. */
export const storyHref = (found: { kind: string; id: string }) =>
  `/find/${found.kind}/${encodeURIComponent(found.id)}`;
