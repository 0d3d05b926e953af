"use client";

import { ArrowRightLeft } from "lucide-react";
import { formatCount } from "@/components/format";
import { useActionState, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { DialogActions, ModalDialog } from "@/components/ui/dialog";
import { SelectField, TextareaField } from "@/components/ui/field";
import type { ActionState } from "@/lib/action-state";
import { moveStatementAction, moveTargetsAction, type MoveTargets } from "../actions";

/**
 * Support's remedy when one organization uploaded another's statement first: move it, with the clients it
 * registered, to the organization it belongs to. Representatives only; both organizations' trails record it.
 */
export function MoveDialog({
  statementId,
  registrationCount,
  organizations,
}: {
  statementId: string;
  registrationCount: number;
  organizations: { slug: string; name: string }[];
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(
    moveStatementAction.bind(null, statementId),
    {},
  );
  const [organization, setOrganization] = useState("");
  const [targets, setTargets] = useState<MoveTargets | null>(null);
  const [loading, startLoading] = useTransition();
  const choose = (slug: string) => {
    setOrganization(slug);
    setTargets(null);
    if (slug) startLoading(async () => setTargets(await moveTargetsAction(slug)));
  };
  const applications = targets?.ok ? targets.applications : [];
  const clients = `${formatCount(registrationCount)} registered ${registrationCount === 1 ? "client" : "clients"}`;
  const fieldErrors = state.fieldErrors ?? {};
  return (
    <ModalDialog
      trigger={<Button variant="secondary">Move…</Button>}
      title={
        <>
          <ArrowRightLeft aria-hidden className="h-5 w-5 text-indigo-600" /> Move to another organization
        </>
      }
      description={
        <>
          The statement and its <strong>{clients}</strong> move together; their credentials keep working. The
          organization must trust the statement&apos;s issuer.
        </>
      }
    >
      <form action={action} className="mt-4 space-y-4">
        <SelectField
          id="move-organization"
          name="organization"
          label="Organization"
          required
          value={organization}
          onChange={(e) => choose(e.target.value)}
          errors={fieldErrors.organization}
        >
          <option value="">Choose the organization…</option>
          {organizations.map((o) => (
            <option key={o.slug} value={o.slug}>
              {o.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="move-application"
          name="applicationId"
          label="Application there"
          required
          disabled={!targets?.ok || loading}
          errors={targets && !targets.ok ? [targets.message] : fieldErrors.applicationId}
        >
          <option value="">
            {loading
              ? "Loading applications…"
              : targets?.ok && applications.length === 0
                ? "That organization has no applications yet"
                : "Choose the application…"}
          </option>
          {applications.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.version})
            </option>
          ))}
        </SelectField>
        <TextareaField
          id="move-reason"
          name="reason"
          label="Reason (recorded in both organizations' audit trails)"
          rows={2}
          aria-required
          maxLength={500}
          defaultValue={state.values?.reason?.[0]}
          errors={fieldErrors.reason}
          placeholder="e.g. Uploaded by Globex by mistake; it is Acme's tvOS app"
        />
        <DialogActions error={!state.ok && Object.keys(fieldErrors).length === 0 ? state.message : undefined}>
          <Button type="submit" disabled={pending || applications.length === 0}>
            {pending ? "Moving…" : "Move statement"}
          </Button>
        </DialogActions>
      </form>
    </ModalDialog>
  );
}
