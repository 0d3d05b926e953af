import Link from "next/link";
import { CollapsibleSidebar } from "@/components/collapsible-sidebar";
import { SidebarNav } from "@/components/sidebar-nav";
import { OrgSwitcher } from "@/components/org-switcher";
import { UserMenu } from "@/components/user-menu";
import { ActingForBanner } from "@/components/acting-for-banner";
import { isRep } from "@/lib/auth/scope";
import { requirePageContext } from "@/lib/auth/page-guard";
import { listVisibleOrganizations } from "@/lib/organizations/service";
import { roleLabel } from "@/lib/auth/roles";
import { FindBox } from "@/components/find-box";
import { selectOrganizationAction, signOutAction, stopActingAction } from "./actions";
import { findAction } from "./find/actions";

/** Sections whose pages are not built yet: the sidebar marks them so nobody mistakes them for broken. */
const COMING_SOON: string[] = [];

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const { caller, scope } = await requirePageContext();
  const organizations = await listVisibleOrganizations(caller);
  const rep = isRep(caller);
  return (
    <div className="min-h-screen lg:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <CollapsibleSidebar
        brand={
          <Link href="/" className="flex items-center gap-2 px-2">
            <span className="flex h-7 w-7 items-center justify-center rounded-md bg-indigo-600 font-mono text-xs font-bold text-white">
              SC
            </span>
            <span className="font-semibold tracking-tight">Statement Console</span>
          </Link>
        }
      >
        <div className="mb-6">
          {rep || organizations.length > 1 ? (
            <OrgSwitcher
              organizations={organizations.map(({ slug, name }) => ({ slug, name }))}
              current={scope ? { slug: scope.org.slug, name: scope.org.name } : null}
              label={rep ? "Act for an organization" : "Switch organization"}
              selectAction={selectOrganizationAction}
              newOrganizationHref={rep ? "/organizations/new" : undefined}
            />
          ) : (
            <p className="px-2 text-sm font-medium text-zinc-700 dark:text-zinc-300" data-testid="org-name">
              {scope?.org.name}
            </p>
          )}
        </div>
        <SidebarNav comingSoon={COMING_SOON} rep={rep} />
      </CollapsibleSidebar>
      <div className="min-w-0 flex-1 lg:pl-64">
        {scope?.actingFor && <ActingForBanner orgName={scope.org.name} stopAction={stopActingAction} />}
        <header className="flex items-center justify-between gap-4 border-b border-zinc-200 bg-white/80 px-4 py-3 sm:px-6 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/80">
          <FindBox
            action={findAction}
            scopeHint={
              rep ? "Searching every organization" : `Searching ${scope?.org.name ?? "your organization"}`
            }
          />
          <UserMenu
            name={caller.user.name}
            email={caller.user.email}
            roleLabel={roleLabel(caller, scope)}
            signOutAction={signOutAction}
          />
        </header>
        <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
