"use client";

import {
  AppWindow,
  FileKey2,
  FlaskConical,
  HelpCircle,
  LayoutDashboard,
  ScrollText,
  Settings,
  ShieldAlert,
  Smartphone,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";

export const NAV_ITEMS = [
  { href: "/", label: "Overview", icon: LayoutDashboard },
  { href: "/applications", label: "Applications", icon: AppWindow },
  { href: "/statements", label: "Statements", icon: FileKey2 },
  { href: "/registrations", label: "Registrations", icon: Smartphone },
  { href: "/simulator", label: "Simulator", icon: FlaskConical },
  { href: "/audit", label: "Audit", icon: ScrollText },
  // Support representatives only: it spans every organization.
  { href: "/refusals", label: "Refusals", icon: ShieldAlert, repOnly: true },
  { href: "/settings", label: "Settings", icon: Settings },
  { href: "/help", label: "Help", icon: HelpCircle },
] as const;

export function SidebarNav({ comingSoon, rep }: { comingSoon: readonly string[]; rep: boolean }) {
  const pathname = usePathname();
  const items = NAV_ITEMS.filter((item) => rep || !("repOnly" in item));
  return (
    <nav aria-label="Main" className="space-y-1">
      {items.map(({ href, label, icon: Icon }) => {
        const active = href === "/" ? pathname === "/" : pathname.startsWith(href);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors ${
              active
                ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-950/60 dark:text-indigo-300"
                : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
            }`}
          >
            <Icon aria-hidden className="h-4 w-4" />
            <span className="flex-1">{label}</span>
            {comingSoon.includes(href) && (
              <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-[10px] font-semibold uppercase tracking-wide text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400">
                Soon
              </span>
            )}
          </Link>
        );
      })}
    </nav>
  );
}
