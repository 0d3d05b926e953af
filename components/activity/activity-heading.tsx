import type { Range } from "@/lib/activity/types";
import { RangeSwitch } from "./range-switch";

/** A page's activity section heading, with the period switch beside it (links: the page renders on the server). */
export function ActivityHeading({ title = "Activity", range }: { title?: string; range: Range }) {
  return (
    <div className="mb-3 mt-8 flex flex-wrap items-center justify-between gap-3">
      <h2 className="text-base font-semibold">{title}</h2>
      <RangeSwitch value={range} />
    </div>
  );
}
