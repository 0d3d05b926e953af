"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextareaField } from "@/components/ui/field";
import type { ActionState } from "@/lib/action-state";
import { addIssuerAction } from "../actions";

export function IssuerForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(addIssuerAction, {});
  const [kind, setKind] = useState<"jwks" | "pem">((state.values?.kind?.[0] as "jwks" | "pem") ?? "jwks");
  return (
    <form action={action} className="space-y-4 p-5" noValidate>
      <Field
        id="iss"
        name="iss"
        label="Issuer (iss)"
        required
        maxLength={2048}
        placeholder="https://issuer.example.com"
        defaultValue={state.values?.iss?.[0]}
        errors={state.fieldErrors?.iss}
      />
      <fieldset>
        <legend className="text-sm font-medium">Public keys given as</legend>
        <div className="mt-2 flex gap-4 text-sm">
          {(["jwks", "pem"] as const).map((k) => (
            <label key={k} className="flex items-center gap-2">
              <input
                type="radio"
                name="kind"
                value={k}
                checked={kind === k}
                onChange={() => setKind(k)}
                className="accent-indigo-600"
              />
              {k === "jwks" ? "JWKS (JSON)" : "PEM public key"}
            </label>
          ))}
        </div>
      </fieldset>
      <TextareaField
        id="keys"
        name="keys"
        label={kind === "jwks" ? "JWKS" : "PEM public key"}
        rows={6}
        required
        defaultValue={state.values?.keys?.[0]}
        errors={state.fieldErrors?.keys}
        placeholder={
          kind === "jwks"
            ? '{ "keys": [ { "kty": "RSA", "kid": "…", "n": "…", "e": "AQAB" } ] }'
            : "-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----"
        }
      />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add issuer"}
        </Button>
        <p
          aria-live="polite"
          className={`text-sm ${state.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-600 dark:text-red-400"}`}
        >
          {state.fieldErrors?.keys || state.fieldErrors?.iss ? "" : state.message}
        </p>
      </div>
    </form>
  );
}
