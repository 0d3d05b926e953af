"use client";

import { useSyncExternalStore } from "react";
import { exactTime, relativeTime } from "@/lib/time-format";

const noSubscription = () => () => {};
// The viewer's time zone is known only in the browser; the server renders UTC until then.
const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const serverTimeZone = () => "UTC";

/**
 * A moment, as the console shows every one: relative ("3 hours ago"), with the exact time in the viewer's time
 * zone on hover.
 */
export function Time({ date }: { date: Date | string }) {
  const moment = typeof date === "string" ? new Date(date) : date;
  const timeZone = useSyncExternalStore(noSubscription, browserTimeZone, serverTimeZone);
  return (
    <time
      dateTime={moment.toISOString()}
      title={exactTime(moment, timeZone)}
      // Server and browser may be a minute apart on "n minutes ago".
      suppressHydrationWarning
    >
      {relativeTime(moment)}
    </time>
  );
}
