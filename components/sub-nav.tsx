"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/**
 * Tabs that are links: each section has its own URL, and a page under one (a webhook's log) keeps its tab
 * marked. On a narrow screen the tabs scroll sideways rather than widen the page.
 */
export function SubNav({ label, items }: { label: string; items: { href: string; label: string }[] }) {
  const pathname = usePathname();
  const current = items
    .filter((i) => pathname === i.href || pathname.startsWith(`${i.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return (
    // The scroll box wraps the nav, so the active tab's underline (over the nav's border) is not clipped.
    <div className="mb-6 overflow-x-auto">
      <nav
        aria-label={label}
        className="flex w-max min-w-full gap-1 border-b border-zinc-200 dark:border-zinc-800"
      >
        {items.map((item) => {
          const active = item === current;
          return (
            <Link
              key={item.href}
              href={item.href}
              aria-current={active ? "page" : undefined}
              className={`-mb-px shrink-0 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap ${
                active
                  ? "border-indigo-600 text-indigo-700 dark:text-indigo-300"
                  : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
              }`}
            >
              {item.label}
            </Link>
          );
        })}
      </nav>
    </div>
  );
}
