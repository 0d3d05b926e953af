"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/secret-once";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ActionState } from "@/lib/action-state";
import { changeRoleAction, disableMemberAction } from "./actions";
import { formatRole } from "@/components/format";

type Member = { id: string; name: string; email: string; role: "ADMIN" | "VIEWER"; disabled: boolean };

/** One member, with the admin's controls: change the role, disable. */
export function MemberRow({ member, canWrite }: { member: Member; canWrite: boolean }) {
  const [roleState, roleAction, rolePending] = useActionState<ActionState, FormData>(
    changeRoleAction.bind(null, member.id),
    {},
  );
  return (
    <li className="px-5 py-3 text-sm" data-testid={`member-${member.email}`}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <span>
          <span className="font-medium">{member.name}</span>
          <span className="ml-2 text-zinc-500">{member.email}</span>
          {member.disabled && <span className="ml-2 text-xs text-red-600">disabled</span>}
        </span>
        {canWrite && !member.disabled ? (
          <div className="flex items-center gap-2">
            <form action={roleAction} className="flex items-center gap-2">
              <select
                name="role"
                defaultValue={member.role}
                aria-label={`Role of ${member.email}`}
                className="rounded-md bg-white px-2 py-1 text-xs ring-1 ring-zinc-300 dark:bg-zinc-950 dark:ring-zinc-700"
              >
                <option value="ADMIN">Admin</option>
                <option value="VIEWER">Viewer</option>
              </select>
              <Button type="submit" variant="secondary" disabled={rolePending}>
                Change role
              </Button>
            </form>
            <ConfirmDialog
              trigger="Disable"
              triggerLabel={`Disable ${member.email}`}
              triggerVariant="ghost"
              title={`Disable ${member.email}?`}
              description="Their access to this organization stops at once, and their sessions here end."
              confirmLabel="Disable member"
              pendingLabel="Disabling…"
              run={() => disableMemberAction(member.id, undefined)}
            />
          </div>
        ) : (
          <span className="rounded bg-zinc-100 px-2 py-0.5 text-xs font-medium dark:bg-zinc-800">
            {formatRole(member.role)}
          </span>
        )}
      </div>
      {roleState.message && <FormMessage ok={roleState.ok} message={roleState.message} />}
    </li>
  );
}
