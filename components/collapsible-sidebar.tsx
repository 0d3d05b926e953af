"use client";

import { Menu, X } from "lucide-react";
import { useState } from "react";

/**
 * The sidebar: fixed beside the page on wide screens; on narrow ones a bar with the brand and a Menu button that
 * opens the navigation over the page's top (and closes when a link in it is followed).
 */
export function CollapsibleSidebar({
  brand,
  children,
}: {
  brand: React.ReactNode;
  children: React.ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <aside className="border-b border-zinc-200 bg-white px-4 py-3 lg:fixed lg:inset-y-0 lg:w-64 lg:overflow-y-auto lg:border-b-0 lg:border-r lg:py-5 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex items-center justify-between gap-2 lg:mb-6">
        {brand}
        <button
          type="button"
          className="rounded-md p-2 text-zinc-700 hover:bg-zinc-100 lg:hidden dark:text-zinc-300 dark:hover:bg-zinc-800"
          aria-expanded={open}
          aria-controls="sidebar-panel"
          onClick={() => setOpen((o) => !o)}
        >
          {open ? <X aria-hidden className="h-5 w-5" /> : <Menu aria-hidden className="h-5 w-5" />}
          <span className="sr-only">Menu</span>
        </button>
      </div>
      <div
        id="sidebar-panel"
        className={`${open ? "block" : "hidden"} pt-4 lg:block lg:pt-0`}
        onClick={(e) => {
          if ((e.target as HTMLElement).closest("a")) setOpen(false);
        }}
      >
        {children}
      </div>
    </aside>
  );
}
