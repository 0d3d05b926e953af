import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { CLIENT_ERRORS } from "@/lib/help/errors";
import { faqRule } from "@/lib/help/faq";
import { errorHelpPath } from "@/lib/help/paths";

type Props = { params: Promise<{ rule: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const rule = faqRule(Number((await params).rule));
  return { title: rule ? `FAQ rule ${rule.rule}: ${rule.topic}` : "Help" };
}

export default async function FaqRulePage({ params }: Props) {
  const rule = faqRule(Number((await params).rule));
  if (!rule) notFound();
  const errors = CLIENT_ERRORS.filter((e) => e.rule === rule.rule);
  return (
    <article className="space-y-6">
      <PageHeader title={`FAQ rule ${rule.rule}: ${rule.title}`} description={rule.summary} />
      <div className="max-w-3xl space-y-3 text-sm leading-6">
        {rule.paragraphs.map((p) => (
          <p key={p}>{p}</p>
        ))}
      </div>
      <Card className="max-w-3xl p-5">
        <h2 className="text-base font-semibold">In the console</h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
          {rule.inTheConsole.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        {errors.length > 0 && (
          <>
            <h2 className="mt-4 text-base font-semibold">Errors that follow from it</h2>
            <ul className="mt-2 space-y-1 text-sm">
              {errors.map((e) => (
                <li key={e.code}>
                  <Link
                    href={errorHelpPath(e.code)}
                    className="font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-300"
                  >
                    {e.code}
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </Card>
    </article>
  );
}
