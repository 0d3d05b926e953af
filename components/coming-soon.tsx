import { Construction } from "lucide-react";
import { PageHeader } from "./page-header";

/** A section that is planned but not built: says so plainly instead of leaving a dead link. */
export function ComingSoon({
  title,
  description,
  plans,
}: {
  title: string;
  description: string;
  plans: string[];
}) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <div className="rounded-lg border border-dashed border-zinc-300 bg-white p-8 dark:border-zinc-700 dark:bg-zinc-900">
        <div className="flex items-start gap-4">
          <Construction aria-hidden className="mt-0.5 h-6 w-6 shrink-0 text-amber-500" />
          <div>
            <h2 className="font-semibold">Not built yet</h2>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              This section is on its way. Nothing here is broken; when it lands you will be able to:
            </p>
            <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
              {plans.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        </div>
      </div>
    </>
  );
}
