"use client";

import { Download } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button, type ButtonProps } from "./ui/button";

export type DownloadResult = { filename: string; content: string } | { error: string; code?: string };

/** Runs a server action that returns a file's text, then saves it in the browser under the given name. */
export function DownloadButton({
  action,
  children,
  ...props
}: Omit<ButtonProps, "onClick" | "action"> & {
  action: () => Promise<DownloadResult>;
}) {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      type="button"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await action();
          if ("error" in result) {
            toast.error(result.error);
            return;
          }
          const url = URL.createObjectURL(new Blob([result.content], { type: "text/plain" }));
          const link = Object.assign(document.createElement("a"), { href: url, download: result.filename });
          document.body.append(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(url), 1000);
          toast.success(`Saved ${result.filename}`);
        })
      }
      {...props}
    >
      <Download aria-hidden className="h-4 w-4" />
      {pending ? "Preparing…" : children}
    </Button>
  );
}
