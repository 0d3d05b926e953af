import Link from "next/link";
import { faqRulePath } from "@/lib/help/paths";

const RULE_MENTION = /(FAQ rule [1-6])/;

/** Text that cites the FAQ ("… (FAQ rule 3)."), with each "FAQ rule N" linking to that rule's help page. */
export function FaqText({ text }: { text: string }) {
  return (
    <>
      {text.split(RULE_MENTION).map((part, i) => {
        const rule = RULE_MENTION.test(part) ? Number(part.slice(-1)) : null;
        return rule ? (
          <Link
            key={i}
            href={faqRulePath(rule)}
            target="_blank"
            rel="noreferrer"
            className="font-medium text-indigo-700 underline hover:no-underline dark:text-indigo-300"
          >
            {part}
          </Link>
        ) : (
          part
        );
      })}
    </>
  );
}
