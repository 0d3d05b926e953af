"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextareaField } from "@/components/ui/field";
import type { ActionState } from "@/lib/action-state";
import { PLATFORMS } from "@/lib/applications/schema";
import { createApplicationAction } from "../actions";

export function ApplicationForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(createApplicationAction, {});
  const value = (name: string, fallback = "") => state.values?.[name]?.[0] ?? fallback;
  const chosen = new Set(state.values?.platforms ?? []);
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-6 p-5" noValidate>
      <div className="grid grid-cols-1 gap-6 sm:grid-cols-3">
        <div className="sm:col-span-2">
          <Field
            id="name"
            name="name"
            label="Name"
            required
            maxLength={100}
            defaultValue={value("name")}
            errors={errors.name}
            placeholder="Acme TV for tvOS"
          />
        </div>
        <Field
          id="version"
          name="version"
          label="Version"
          defaultValue={value("version", "1.0.0")}
          errors={errors.version}
          maxLength={32}
        />
      </div>

      <fieldset aria-describedby={errors.platforms ? "platforms-error" : undefined}>
        <legend className="text-sm font-medium">Platforms</legend>
        <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-4">
          {PLATFORMS.map((p) => (
            <label
              key={p}
              className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm ring-1 ring-inset ring-zinc-200 has-[:checked]:bg-indigo-50 has-[:checked]:ring-indigo-300 dark:ring-zinc-700 dark:has-[:checked]:bg-indigo-950/50"
            >
              <input
                type="checkbox"
                name="platforms"
                value={p}
                defaultChecked={chosen.has(p)}
                className="h-4 w-4 accent-indigo-600"
              />
              {p}
            </label>
          ))}
        </div>
        <div id="platforms-error" aria-live="polite">
          {errors.platforms?.map((e) => (
            <p key={e} className="mt-1 text-sm text-red-600 dark:text-red-400">
              {e}
            </p>
          ))}
        </div>
      </fieldset>

      <TextareaField
        id="domains"
        name="domains"
        label="Domains"
        rows={3}
        defaultValue={value("domains")}
        errors={errors.domains}
        hint="One per line (or comma-separated), e.g. tv.example.com or *.example.com. Redirect URIs must use one of them."
      />

      <div className="grid grid-cols-1 gap-6 sm:grid-cols-2">
        <Field
          id="channel"
          name="channel"
          label="Channel (optional)"
          defaultValue={value("channel")}
          errors={errors.channel}
          maxLength={100}
        />
        <Field
          id="scopes"
          name="scopes"
          label="Scopes"
          defaultValue={value("scopes", "api:client:v2")}
          errors={errors.scopes}
          hint="Comma-separated."
        />
      </div>

      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create application"}
        </Button>
        <Link
          href="/applications"
          className="text-sm font-medium text-zinc-600 hover:underline dark:text-zinc-400"
        >
          Cancel
        </Link>
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {state.ok ? "" : state.message}
        </p>
      </div>
    </form>
  );
}
