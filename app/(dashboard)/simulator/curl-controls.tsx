"use client";

import { Check, Copy } from "lucide-react";
import { useId, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { toCurl } from "./curl";
import type { HttpRequest } from "./http";

/**
 * "Copy as curl" through the clipboard, and the same command in a read-only box for when the clipboard is
 * not available (or to read it first). It contains the step's secrets, so it stays closed until asked for.
 */
export function CurlControls({ request, stepTitle }: { request: HttpRequest; stepTitle: string }) {
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState(false);
  const id = useId();
  const command = () => toCurl(request, window.location.origin);

  async function copy() {
    try {
      await navigator.clipboard.writeText(command());
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
      toast.success("curl command copied");
    } catch {
      setOpen(true);
      toast.error("The clipboard is not available here: the command is shown below to copy by hand.");
    }
  }

  return (
    <div className="min-w-0 flex-1 space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <Button type="button" variant="secondary" className="px-2.5 py-1 text-xs" onClick={copy}>
          {copied ? (
            <Check aria-hidden className="h-3.5 w-3.5" />
          ) : (
            <Copy aria-hidden className="h-3.5 w-3.5" />
          )}
          Copy as curl
        </Button>
        <Button
          type="button"
          variant="ghost"
          className="px-2.5 py-1 text-xs shadow-none"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen((v) => !v)}
        >
          {open ? "Hide curl" : "Show curl"}
        </Button>
      </div>
      {open && (
        <div id={id}>
          <label htmlFor={`${id}-text`} className="sr-only">
            curl command for {stepTitle}
          </label>
          <textarea
            id={`${id}-text`}
            readOnly
            rows={6}
            value={command()}
            onFocus={(e) => e.currentTarget.select()}
            className="block w-full rounded-md bg-zinc-950 p-3 font-mono text-xs text-zinc-100 ring-1 ring-zinc-700"
          />
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
            Includes this step&apos;s credentials
            {request.headers["X-Simulation-Ticket"] && " and the simulation ticket (valid 15 minutes)"}.
          </p>
        </div>
      )}
    </div>
  );
}
