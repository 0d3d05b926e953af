"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

/** Copies `value` through the clipboard; where there is none, the value stays on screen to select by hand. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const Icon = copied ? Check : Copy;
  return (
    <Button
      type="button"
      variant="secondary"
      className="px-2.5 py-1 text-xs"
      onClick={() =>
        navigator.clipboard.writeText(value).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 2000);
          },
          () => toast.error("The clipboard is not available here: select the text and copy it by hand."),
        )
      }
    >
      <Icon aria-hidden className="h-3.5 w-3.5" />
      {copied ? "Copied" : label}
    </Button>
  );
}
