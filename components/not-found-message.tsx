import Link from "next/link";

/** What a missing page says, wherever it is rendered (inside the console's own main landmark, or alone). */
export function NotFoundMessage() {
  return (
    <div className="flex flex-col items-center justify-center gap-3 px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        There is nothing at this address, or it is not yours to see.
      </p>
      <Link href="/" className="text-sm font-medium text-indigo-600 hover:underline">
        Back to the overview
      </Link>
    </div>
  );
}
