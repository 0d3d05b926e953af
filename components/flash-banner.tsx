"use client";

import { useEffect } from "react";

/**
 * A one-time confirmation carried in the URL ("?created=1"): shown once, then the parameter leaves the address,
 * so a reload, a refresh after the next action, or a shared link does not say it again.
 */
export function FlashBanner({ params, children }: { params: string[]; children: React.ReactNode }) {
  useEffect(() => {
    const url = new URL(window.location.href);
    for (const name of params) url.searchParams.delete(name);
    window.history.replaceState(window.history.state, "", url);
  }, [params]);
  return (
    <p
      role="status"
      className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-200"
    >
      {children}
    </p>
  );
}
