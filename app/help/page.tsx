import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { FAQ_RULES } from "@/lib/help/faq";
import { faqRulePath } from "@/lib/help/paths";

export const metadata: Metadata = { title: "Help" };

export default function HelpIndexPage() {
  return (
    <>
      <PageHeader
        title="Help"
        description="The rules the console enforces, and what each error a client application can receive means."
      />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        {FAQ_RULES.map((r) => (
          <Card key={r.rule} className="p-5">
            <h2 className="text-base font-semibold">
              <Link href={faqRulePath(r.rule)} className="hover:underline">
                FAQ rule {r.rule}: {r.topic}
              </Link>
            </h2>
            <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{r.summary}</p>
          </Card>
        ))}
      </div>
    </>
  );
}
