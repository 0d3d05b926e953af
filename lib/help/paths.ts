/** Where the console serves its help: plain paths, safe in client components (urls.ts adds the origin). */
export const HELP_PATH = "/help";

/** The path of FAQ rule `n`'s help page (the simulator's "FAQ rule N" links). */
export function faqRulePath(rule: number): string {
  return `${HELP_PATH}/faq/${rule}`;
}

/** The path of the help page for a client-facing error code. */
export function errorHelpPath(code: string): string {
  return `${HELP_PATH}/errors/${encodeURIComponent(code)}`;
}
