"use client";

import Link from "next/link";
import { useActionState, useState, useTransition } from "react";
import { FileUp } from "lucide-react";
import { JsonBlock } from "@/components/json-block";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/action-state";
import { inspectStatementAction, uploadStatementAction, type InspectResult } from "../actions";

const MAX_FILE_BYTES = 64 * 1024;

/** Paste or drop a statement, see what it is and whether it verifies, then save it. */
export function UploadForm() {
  const [jwt, setJwt] = useState("");
  const [result, setResult] = useState<InspectResult | null>(null);
  const [checking, startCheck] = useTransition();
  const [dragging, setDragging] = useState(false);
  const [saveState, save, saving] = useActionState<ActionState, FormData>(uploadStatementAction, {});

  const check = (text: string) => {
    setJwt(text);
    setResult(null);
    if (text.trim()) startCheck(async () => setResult(await inspectStatementAction(text.trim())));
  };

  const readFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setResult({
        ok: false,
        code: "too_large",
        message: `${file.name} is larger than 64 KiB: a statement is a few hundred bytes.`,
      });
      return;
    }
    check((await file.text()).trim());
  };

  return (
    <div className="space-y-6 p-5">
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          void readFile(e.dataTransfer.files[0]);
        }}
        className={`rounded-lg border-2 border-dashed p-4 ${dragging ? "border-indigo-500 bg-indigo-50/50 dark:bg-indigo-950/30" : "border-zinc-300 dark:border-zinc-700"}`}
      >
        <label htmlFor="statement-text" className="block text-sm font-medium">
          Software statement (JWT)
        </label>
        <textarea
          id="statement-text"
          rows={6}
          value={jwt}
          onChange={(e) => check(e.target.value)}
          spellCheck={false}
          placeholder="Paste the statement here, or drop a .txt / .jwt file on this box"
          aria-describedby="statement-check"
          className="mt-1.5 block w-full rounded-md border-0 bg-white px-3 py-2 font-mono text-xs shadow-sm ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-indigo-500 dark:bg-zinc-950 dark:ring-zinc-700"
        />
        <label className="mt-3 inline-flex cursor-pointer items-center gap-2 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          <FileUp aria-hidden className="h-4 w-4" /> Choose a file…
          <input
            type="file"
            accept=".txt,.jwt,text/plain"
            className="sr-only"
            onChange={(e) => void readFile(e.target.files?.[0])}
          />
        </label>
      </div>

      <div id="statement-check" aria-live="polite">
        {checking && <p className="text-sm text-zinc-600 dark:text-zinc-400">Verifying…</p>}
        {result && !result.ok && (
          <div
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100"
          >
            <p className="font-semibold">This statement cannot be accepted</p>
            <p className="mt-1">{result.message}</p>
            {result.code === "untrusted_issuer" && (
              <Link href="/settings/issuers" className="mt-2 inline-block font-medium underline">
                Open Settings → Trusted issuers
              </Link>
            )}
          </div>
        )}
        {result?.ok && result.existingStatementId && (
          <div
            role="status"
            className="rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-100"
          >
            This statement is already stored:{" "}
            <Link href={`/statements/${result.existingStatementId}`} className="font-medium underline">
              open it
            </Link>
            .
          </div>
        )}
      </div>

      {result?.ok && !result.existingStatementId && (
        <form action={save} className="space-y-5">
          <input type="hidden" name="software_statement" value={jwt.trim()} />
          <div
            role="status"
            className="rounded-md border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-100"
          >
            <p className="font-semibold">Signature verified</p>
            <p className="mt-1">
              Issued by <strong>{result.issuer}</strong>, signed with {result.algorithm}
              {result.kid ? (
                <>
                  {" "}
                  by key <code className="font-mono">{result.kid}</code>
                </>
              ) : (
                " (no key id)"
              )}
              .
            </p>
          </div>
          <label className="block text-sm">
            <span className="mb-1 block font-medium">Attach to application</span>
            <select
              name="applicationId"
              defaultValue={result.matchedApplication?.id ?? ""}
              required
              className="w-full rounded-md border-0 bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-zinc-300 dark:bg-zinc-950 dark:ring-zinc-700"
            >
              {!result.matchedApplication && <option value="">Choose the application…</option>}
              {result.applications.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.version}){a.id === result.matchedApplication?.id ? " — matches sub" : ""}
                </option>
              ))}
            </select>
            <span className="mt-1 block text-xs text-zinc-500">
              {result.matchedApplication
                ? "Matched by the statement's sub / software_id."
                : "Its sub / software_id matches none of your applications: choose one."}
            </span>
          </label>
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <div>
              <h3 className="mb-2 text-sm font-medium">Header</h3>
              <JsonBlock value={result.header} label="Header" />
            </div>
            <div>
              <h3 className="mb-2 text-sm font-medium">Claims</h3>
              <JsonBlock value={result.claims} label="Claims" />
            </div>
          </div>
          <p className="font-mono text-xs text-zinc-500">SHA-256 {result.fingerprint}</p>
          <div className="flex items-center gap-3">
            <Button type="submit" disabled={saving}>
              {saving ? "Saving…" : "Save statement"}
            </Button>
            {saveState.message && !saveState.ok && (
              <p role="alert" className="text-sm text-red-600 dark:text-red-400">
                {saveState.message}
              </p>
            )}
          </div>
        </form>
      )}
    </div>
  );
}
