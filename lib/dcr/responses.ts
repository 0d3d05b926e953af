import { errorHelpUrl } from "@/lib/help/urls";
import type { ClientResponse, RefusalFacts } from "./exchange";

/** Response shapes of the client-facing endpoints (docs/client-api.md): never an HTML page, never a stack trace. */

const JSON_NO_STORE = {
  "content-type": "application/json;charset=utf-8",
  "cache-control": "no-store",
  pragma: "no-cache",
};

export function jsonResponse(
  body: unknown,
  status: number,
  headers: Record<string, string> = {},
): ClientResponse {
  return { status, headers: { ...JSON_NO_STORE, ...headers }, body: JSON.stringify(body) };
}

/** `{ error, error_description }`, as RFC 6749 §5.2 and RFC 7591 §3.2.2 (and the Adobe endpoints) answer. */
export class OAuthError extends Error {
  facts?: RefusalFacts;

  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }

  /** This error, with what the core knows of the refusal (recorded with the answer). */
  because(facts: RefusalFacts): this {
    this.facts = facts;
    return this;
  }

  toResponse(): ClientResponse {
    const response = jsonResponse(
      { error: this.error, error_description: this.description },
      this.status,
      this.headers,
    );
    response.refusal = { code: this.error, description: this.description, facts: this.facts };
    return response;
  }
}

/** The REST API v2 "enhanced error" format, for the protected resource. */
export function enhancedError(
  status: number,
  code: string,
  message: string,
  trace: string | null,
  action = "application-registration",
  facts?: RefusalFacts,
): ClientResponse {
  const response = jsonResponse(
    {
      action,
      status,
      code,
      message,
      helpUrl: errorHelpUrl(code),
      trace: trace ?? "",
    },
    status,
  );
  response.refusal = { code, description: message, facts };
  return response;
}
