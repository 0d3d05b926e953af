import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DetailsList } from "@/components/details-list";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { clientError } from "@/lib/help/errors";
import { faqRule } from "@/lib/help/faq";
import { faqRulePath } from "@/lib/help/paths";

type Props = { params: Promise<{ code: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const error = clientError((await params).code);
  return { title: error ? `Error ${error.code}` : "Help" };
}

export default async function ClientErrorPage({ params }: Props) {
  const error = clientError((await params).code);
  if (!error) notFound();
  const rule = error.rule ? faqRule(error.rule) : undefined;
  return (
    <article className="space-y-6">
      <PageHeader title={error.code} description={error.meaning} />
      <Card className="max-w-3xl">
        <DetailsList
          items={[
            ["HTTP status", error.status],
            ["Answered by", error.endpoints],
          ]}
        />
      </Card>
      <Card className="max-w-3xl p-5">
        <h2 className="text-base font-semibold">What to do</h2>
        <p className="mt-1 text-sm leading-6">{error.whatToDo}</p>
        {rule && (
          <p className="mt-4 text-sm">
            It follows from{" "}
            <Link
              href={faqRulePath(rule.rule)}
              className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
            >
              FAQ rule {rule.rule}: {rule.title}
            </Link>
            .
          </p>
        )}
      </Card>
    </article>
  );
}
