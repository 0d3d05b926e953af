import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { requirePageContext } from "@/lib/auth/page-guard";
import { isRep, type OrgScope } from "@/lib/auth/scope";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { auditTargetHref } from "@/components/audit-event-list";
import { RoleNotice } from "@/components/role-notice";
import { listVisibleOrganizations, organizationHolding, type Locatable } from "@/lib/organizations/service";
import { OrgChooser } from "./org-chooser";
import { SwitchOffer } from "./switch-offer";

/**
 * Renders an organization page for the signed-in caller: a representative who has not chosen an
 * organization gets the chooser, anything not found in this organization is a 404 page, and a page the
 * caller's role does not allow explains why.
 */
export async function scopedPage(
  render: (scope: OrgScope) => Promise<ReactNode>,
  /** The object the page shows: a representative who opens it from another organization is offered to switch. */
  locate?: Locatable,
): Promise<ReactNode> {
  const { caller, scope } = await requirePageContext();
  if (!scope && !isRep(caller)) return <NoOrganization />;
  const holder = async () => (locate ? organizationHolding(caller, locate) : null);
  if (!scope) {
    const other = await holder();
    if (other)
      return <SwitchOffer organization={other} returnTo={auditTargetHref(locate!.kind, locate!.id)!} />;
    return <OrgChooser organizations={await listVisibleOrganizations(caller)} />;
  }
  try {
    return await render(scope);
  } catch (error) {
    if (error instanceof NotFoundError) {
      const other = await holder();
      if (other && other.id !== scope.org.id)
        return <SwitchOffer organization={other} returnTo={auditTargetHref(locate!.kind, locate!.id)!} />;
      notFound();
    }
    if (error instanceof ForbiddenError) return <RoleNotice message={error.message} />;
    throw error;
  }
}

/** A member whose every membership was disabled: the account stays, with nothing to open until one is added. */
function NoOrganization() {
  return (
    <div
      role="status"
      className="rounded-lg border border-zinc-200 bg-white p-6 text-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h1 className="text-base font-semibold">No organization</h1>
      <p className="mt-1 text-zinc-600 dark:text-zinc-400">
        You are not a member of any organization. An organization&apos;s admin can add you again.
      </p>
    </div>
  );
}
