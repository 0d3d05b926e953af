"use client";

import { FaqText } from "@/components/faq-text";
import { Timer } from "lucide-react";
import { useState } from "react";
import { JsonBlock } from "@/components/json-block";
import { Countdown } from "./countdown";
import { CurlControls } from "./curl-controls";
import { ExchangeDetails } from "./exchange-details";
import { field, responseHeader } from "./http";
import { HttpStatus } from "./http-status";
import { maskAll } from "./masking";
import type { StepEntry } from "./run";
import { errorSummary } from "./scenarios";

/** One HTTP step on the timeline: what was sent, what came back, how long it took, and what it means. */
export function StepView({ entry }: { entry: StepEntry }) {
  const [revealed, setRevealed] = useState(false);
  const { exchange, title } = entry;
  const mask = (text: string) => (revealed ? text : maskAll(text, entry.secrets));
  const status = exchange.response?.status;
  const retryAfter = exchange.response && responseHeader(exchange.response, "retry-after");
  const error = status && status >= 400 ? errorSummary(exchange) : undefined;
  const clientId = status === 201 ? field(exchange, "client_id") : undefined;
  const clientSecret = status === 201 ? field(exchange, "client_secret") : undefined;
  return (
    <article aria-label={title} className="min-w-0 space-y-3">
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 className="font-semibold">{title}</h3>
        <HttpStatus exchange={exchange} />
        <span className="inline-flex items-center gap-1 text-xs text-zinc-500 dark:text-zinc-400">
          <Timer aria-hidden className="h-3.5 w-3.5" />
          {exchange.ms} ms
        </span>
        <code className="break-all font-mono text-xs text-zinc-600 dark:text-zinc-400">
          {exchange.request.method} {exchange.request.path}
        </code>
      </header>

      {status === 429 && (
        <div
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
        >
          <strong>Throttled: retry in {retryAfter ?? "a few"} s.</strong> These endpoints allow a burst of 10
          requests, then 1 per second, per address. A real client backs off the same way.
        </div>
      )}
      {error && status !== 429 && (
        <p className="text-sm text-red-700 dark:text-red-300">
          <span className="font-semibold">Error:</span> <code className="font-mono text-xs">{error}</code>
        </p>
      )}
      {!exchange.response && (
        <p className="text-sm text-red-700 dark:text-red-300">The request failed: {exchange.error}</p>
      )}

      {clientId && clientSecret && (
        <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium text-zinc-600 dark:text-zinc-400">client_id</dt>
          <dd data-testid="registered-client-id" className="break-all font-mono text-xs">
            {clientId}
          </dd>
          <dt className="font-medium text-zinc-600 dark:text-zinc-400">client_secret</dt>
          <dd className="break-all font-mono text-xs">{mask(clientSecret)}</dd>
        </dl>
      )}
      {entry.token && (
        <div className="space-y-2">
          <p className="flex flex-wrap items-center gap-2 text-sm">
            Access token (decoded) <Countdown until={entry.token.expiresAt} />
          </p>
          <JsonBlock value={entry.token.claims} label={`${title}: access token claims`} />
        </div>
      )}
      {entry.step === "api" && status === 200 && exchange.response?.json && (
        <JsonBlock value={exchange.response.json} label={`${title}: API answer`} />
      )}
      {entry.note && (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          <FaqText text={entry.note} />
        </p>
      )}

      <details className="group rounded-md border border-zinc-200 dark:border-zinc-800">
        <summary className="cursor-pointer select-none px-3 py-2 text-sm font-medium text-zinc-700 hover:bg-zinc-50 dark:text-zinc-300 dark:hover:bg-zinc-800/50">
          Request and response (headers and bodies)
        </summary>
        <div className="border-t border-zinc-200 p-3 dark:border-zinc-800">
          <ExchangeDetails exchange={exchange} mask={mask} stepTitle={title} />
        </div>
      </details>

      <div className="flex flex-wrap items-start justify-between gap-3">
        <CurlControls request={exchange.request} stepTitle={title} />
        {entry.secrets.length > 0 && (
          <button
            type="button"
            aria-pressed={revealed}
            onClick={() => setRevealed((v) => !v)}
            className="rounded px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950/50"
          >
            {revealed ? "Hide secrets" : "Reveal secrets"}
          </button>
        )}
      </div>
    </article>
  );
}
