"use client";

import { Building2, Check, ChevronsUpDown, Plus } from "lucide-react";
import Link from "next/link";
import { DropdownMenu } from "radix-ui";
import { useTransition } from "react";

type Org = { slug: string; name: string };

/** Lists the organizations the caller can open; choosing one makes it the dashboard's current one. */
export function OrgSwitcher({
  organizations,
  current,
  label,
  selectAction,
  newOrganizationHref,
}: {
  organizations: Org[];
  current: Org | null;
  label: string;
  selectAction: (slug: string) => Promise<void>;
  /** For representatives, who may create organizations. */
  newOrganizationHref?: string;
}) {
  const [pending, startTransition] = useTransition();
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="flex w-full items-center gap-2 rounded-md border border-zinc-200 bg-white px-3 py-2 text-left text-sm shadow-sm hover:bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:bg-zinc-800"
        aria-label={label}
        disabled={pending}
      >
        <Building2 aria-hidden className="h-4 w-4 shrink-0 text-zinc-500" />
        {/* Two lines before it clips: "Choose an organization" and long names stay readable. */}
        <span className="line-clamp-2 flex-1 font-medium" title={current?.name}>
          {current?.name ?? "Choose an organization"}
        </span>
        <ChevronsUpDown aria-hidden className="h-4 w-4 text-zinc-400" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={6}
          className="z-50 max-h-80 min-w-60 overflow-y-auto rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <DropdownMenu.Label className="px-2 py-1.5 text-xs text-zinc-500 dark:text-zinc-400">
            {label}
          </DropdownMenu.Label>
          {organizations.map((org) => (
            <DropdownMenu.Item
              key={org.slug}
              onSelect={() => startTransition(() => selectAction(org.slug))}
              className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800"
            >
              <Check aria-hidden className={`h-4 w-4 ${org.slug === current?.slug ? "" : "invisible"}`} />
              <span className="flex-1">{org.name}</span>
              <span className="font-mono text-xs text-zinc-400">{org.slug}</span>
            </DropdownMenu.Item>
          ))}
          {newOrganizationHref && (
            <>
              <DropdownMenu.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
              <DropdownMenu.Item
                asChild
                className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800"
              >
                <Link href={newOrganizationHref}>
                  <Plus aria-hidden className="h-4 w-4" />
                  New organization…
                </Link>
              </DropdownMenu.Item>
            </>
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
