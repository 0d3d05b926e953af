import { env } from "@/lib/env";
import { errorHelpPath } from "./paths";

/**
 * The absolute URL a client-facing error's `helpUrl` carries: this console's own page for that code, on
 * PUBLIC_URL. Framework-neutral (no Next imports): lib/dcr is also served by a bare node:http listener.
 */
export function errorHelpUrl(code: string): string {
  return `${env.PUBLIC_URL}${errorHelpPath(code)}`;
}
