"use client";

import { useActionState } from "react";
import { FormMessage, SecretOnce } from "@/components/secret-once";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { addMemberAction, type SecretState } from "./actions";

export function AddMemberForm() {
  const [state, action, pending] = useActionState<SecretState, FormData>(addMemberAction, {});
  return (
    <form action={action} className="space-y-4 p-5" noValidate>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field
          id="member-name"
          name="name"
          label="Name"
          required
          maxLength={100}
          errors={state.fieldErrors?.name}
        />
        <Field
          id="member-email"
          name="email"
          label="Email"
          type="email"
          required
          maxLength={254}
          errors={state.fieldErrors?.email}
        />
      </div>
      <div className="space-y-1.5">
        <label htmlFor="member-role" className="block text-sm font-medium">
          Role
        </label>
        <select
          id="member-role"
          name="role"
          defaultValue="VIEWER"
          className="rounded-md bg-white px-3 py-2 text-sm ring-1 ring-zinc-300 dark:bg-zinc-950 dark:ring-zinc-700"
        >
          <option value="VIEWER">Viewer (read-only)</option>
          <option value="ADMIN">Admin</option>
        </select>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add member"}
        </Button>
        {!state.fieldErrors?.email && !state.fieldErrors?.name && (
          <FormMessage ok={state.ok} message={state.message} />
        )}
      </div>
      {state.secret && <SecretOnce label="Temporary password" value={state.secret} />}
    </form>
  );
}
