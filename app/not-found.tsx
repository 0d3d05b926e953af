import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        There is nothing at this address, or it is not yours to see.
      </p>
      <Link href="/" className="text-sm font-medium text-indigo-600 hover:underline">
        Back to the overview
      </Link>
    </main>
  );
}
