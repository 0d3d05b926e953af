"use client";

import { Globe } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";
import { formatCount } from "@/components/format";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { setStatementUrlAction } from "../actions";

/**
 * The application's statement URL: where it is, whether it is on, how often apps fetch it, and (admins) the
 * switch. Turning it off is confirmed: apps that fetch their statement there get a 404 from then on.
 */
export function StatementUrlCard({
  applicationId,
  url,
  enabled,
  canWrite,
  fetches,
}: {
  applicationId: string;
  url: string;
  enabled: boolean;
  canWrite: boolean;
  fetches: { recent: number; total: number };
}) {
  const [pending, startTransition] = useTransition();
  const turnOn = () =>
    startTransition(async () => {
      const result = await setStatementUrlAction(applicationId, true, null);
      if (result.ok) toast.success(result.message);
      else toast.error(result.message ?? "The statement URL could not be turned on.");
    });
  return (
    <Card className="mt-6" data-testid="statement-url">
      <CardHeader
        title="Statement URL"
        description="Apps that fetch their statement from this URL at start pick up a replacement without a new build."
        action={
          canWrite &&
          (enabled ? (
            <ConfirmDialog
              trigger="Turn off"
              triggerVariant="secondary"
              title="Turn the statement URL off?"
              description="From now on it answers 404: apps that fetch their statement there keep the copy they have, and new installs get none until it is on again."
              confirmLabel="Turn off"
              pendingLabel="Turning off…"
              run={() => setStatementUrlAction(applicationId, false, null)}
            />
          ) : (
            <Button variant="secondary" onClick={turnOn} disabled={pending}>
              <Globe aria-hidden className="h-4 w-4" /> {pending ? "Turning on…" : "Turn on"}
            </Button>
          ))
        }
      />
      <div className="space-y-2 px-5 py-4 text-sm">
        <p>
          <span className={enabled ? "font-medium text-emerald-700 dark:text-emerald-400" : "font-medium"}>
            {enabled ? "On" : "Off"}
          </span>
          {" · "}
          <code className="break-all font-mono text-xs">{url}</code>
        </p>
        <p className="text-zinc-600 dark:text-zinc-400">
          {enabled
            ? "It serves the application's newest active statement as JSON ({ software_statement }), with an ETag: a replacement shows up at the next fetch."
            : "Off: the URL answers 404."}{" "}
          Fetched {formatCount(fetches.recent)} {fetches.recent === 1 ? "time" : "times"} in the last 7 days,{" "}
          {formatCount(fetches.total)} in all.
        </p>
      </div>
    </Card>
  );
}
