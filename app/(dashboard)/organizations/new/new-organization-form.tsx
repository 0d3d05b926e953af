"use client";

import { useActionState } from "react";
import { FormMessage, SecretOnce } from "@/components/secret-once";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { createOrganizationAction, type SecretState } from "../../settings/members/actions";

export function NewOrganizationForm() {
  const [state, action, pending] = useActionState<SecretState, FormData>(createOrganizationAction, {});
  const e = state.fieldErrors;
  return (
    <form action={action} className="space-y-4 p-5" noValidate>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field
          id="org-name"
          name="name"
          label="Organization name"
          required
          maxLength={100}
          errors={e?.name}
        />
        <Field
          id="org-slug"
          name="slug"
          label="Slug (requestor id)"
          required
          maxLength={40}
          placeholder="initech"
          errors={e?.slug}
        />
        <Field id="admin-name" name="adminName" label="First admin's name" required maxLength={100} />
        <Field
          id="admin-email"
          name="adminEmail"
          label="First admin's email"
          type="email"
          required
          maxLength={254}
          errors={e?.adminEmail}
        />
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create organization"}
        </Button>
        <FormMessage ok={state.ok} message={state.message} />
      </div>
      {state.secret && <SecretOnce label="The admin's temporary password" value={state.secret} />}
    </form>
  );
}
