import Link from "next/link";

/** The end of a GET filter form: Apply, and Clear (back to the unfiltered list) when a filter is set. */
export function FilterActions({ clearHref, filtered }: { clearHref: string; filtered: boolean }) {
  return (
    <>
      <button
        type="submit"
        className="rounded-md bg-zinc-900 px-3.5 py-2 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900"
      >
        Apply
      </button>
      {filtered && (
        <Link
          href={clearHref}
          className="py-2 text-sm font-medium text-zinc-600 hover:underline dark:text-zinc-400"
        >
          Clear
        </Link>
      )}
    </>
  );
}
