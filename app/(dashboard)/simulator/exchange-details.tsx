"use client";

import { Copy } from "lucide-react";
import { toast } from "sonner";
import type { Exchange } from "./http";

const PRE =
  "max-h-80 overflow-auto whitespace-pre-wrap break-all rounded-md bg-zinc-950 p-3 font-mono text-xs leading-relaxed text-zinc-100 dark:bg-black";

function prettyBody(text: string | undefined): string {
  if (!text) return "";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The full request and response: start line, headers and body, as they went over the wire. */
export function ExchangeDetails({
  exchange,
  mask,
  stepTitle,
}: {
  exchange: Exchange;
  mask: (text: string) => string;
  stepTitle: string;
}) {
  const { request, response } = exchange;
  const requestHead = [
    `${request.method} ${request.path}`,
    ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`),
  ].join("\n");
  const responseHead = response
    ? [
        `HTTP ${response.status} ${response.statusText}`,
        ...response.headers.map(([k, v]) => `${k}: ${v}`),
      ].join("\n")
    : `No response: ${exchange.error ?? "the request failed"}`;
  const responseBody = prettyBody(response?.text);
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <section aria-label={`${stepTitle} request`} className="min-w-0 space-y-2">
        <h4 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Request</h4>
        <pre className={PRE} tabIndex={0} aria-label="Request headers">
          {mask(requestHead)}
        </pre>
        {request.body !== undefined && (
          <pre className={PRE} tabIndex={0} aria-label="Request body">
            {mask(prettyBody(request.body))}
          </pre>
        )}
      </section>
      <section aria-label={`${stepTitle} response`} className="min-w-0 space-y-2">
        <h4 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Response</h4>
        <pre className={PRE} tabIndex={0} aria-label="Response headers">
          {responseHead}
        </pre>
        {responseBody && (
          <>
            <pre className={PRE} tabIndex={0} aria-label="Response body">
              {mask(responseBody)}
            </pre>
            <button
              type="button"
              onClick={() =>
                navigator.clipboard.writeText(responseBody).then(
                  () => toast.success("Response JSON copied"),
                  () => toast.error("The clipboard is not available here."),
                )
              }
              className="inline-flex items-center gap-1 rounded px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950/50"
            >
              <Copy aria-hidden className="h-3 w-3" /> Copy response body
            </button>
          </>
        )}
      </section>
    </div>
  );
}
