/** What a page shows a caller whose role does not allow it: why, in the page's place. */
export function RoleNotice({ message }: { message: string }) {
  return (
    <div
      role="alert"
      className="rounded-lg border border-amber-300 bg-amber-50 p-6 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <h1 className="text-base font-semibold">Not available to your role</h1>
      <p className="mt-1">{message}</p>
    </div>
  );
}
