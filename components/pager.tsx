import Link from "next/link";

/**
 * Cursor paging: "Next" carries the cursor of the last row shown; "First page" drops it. Keyset cursors
 * have no cheap "previous", and at millions of rows a page number would be a lie anyway.
 */
export function Pager({
  basePath,
  params,
  nextCursor,
  hasCursor,
}: {
  basePath: string;
  params: Record<string, string | undefined>;
  nextCursor: string | null;
  hasCursor: boolean;
}) {
  if (!nextCursor && !hasCursor) return null;
  const href = (cursor?: string) => {
    const query = new URLSearchParams(
      Object.entries({ ...params, cursor }).filter((e): e is [string, string] => Boolean(e[1])),
    );
    const qs = query.toString();
    return qs ? `${basePath}?${qs}` : basePath;
  };
  const linkClass =
    "rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50 dark:ring-zinc-700 dark:hover:bg-zinc-800";
  return (
    <nav
      aria-label="Pagination"
      className="flex items-center justify-between border-t border-zinc-200 px-5 py-3 dark:border-zinc-800"
    >
      {hasCursor ? (
        <Link href={href()} className={linkClass}>
          ← First page
        </Link>
      ) : (
        <span />
      )}
      {nextCursor ? (
        <Link href={href(nextCursor)} className={linkClass} rel="next">
          Next page →
        </Link>
      ) : (
        <span className="text-sm text-zinc-500">End of list</span>
      )}
    </nav>
  );
}
