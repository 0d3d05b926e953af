import { ShieldAlert } from "lucide-react";

export function ActingForBanner({
  orgName,
  stopAction,
}: {
  orgName: string;
  stopAction: () => Promise<void>;
}) {
  return (
    <div
      role="status"
      className="flex flex-wrap items-center justify-between gap-3 bg-amber-100 px-6 py-2 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100"
    >
      <p className="flex items-center gap-2">
        <ShieldAlert aria-hidden className="h-4 w-4" />
        <span>
          <strong>Acting for {orgName}.</strong> Everything you do is recorded as yours, on its behalf.
        </span>
      </p>
      <form action={stopAction}>
        <button
          type="submit"
          className="rounded px-2 py-1 font-medium underline underline-offset-2 hover:bg-amber-200 dark:hover:bg-amber-800"
        >
          Stop acting
        </button>
      </form>
    </div>
  );
}
