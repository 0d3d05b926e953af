/**
 * The errors the client-facing endpoints answer (docs/client-api.md), each with its help page. Enhanced errors
 * link here through their `helpUrl`; the OAuth-shaped ones have no link in their body, but their pages are here
 * for developers who look a code up.
 */
export type ClientError = {
  code: string;
  /** The HTTP status (or statuses) it comes with. */
  status: string;
  /** Where it is answered. */
  endpoints: string;
  meaning: string;
  whatToDo: string;
  /** The FAQ rule it follows from, if any. */
  rule?: number;
};

export const CLIENT_ERRORS: readonly ClientError[] = [
  {
    code: "invalid_request",
    status: "400",
    endpoints: "Registration, token, introspection and the protected API",
    meaning:
      "The request itself is malformed: a missing, repeated or unsupported parameter, a body that is not the JSON or form the endpoint expects, a wrong Content-Type or Accept, or an X-Device-Info header that is not base64 of a JSON object.",
    whatToDo:
      "Read error_description (or message): it names the parameter or header. Send each parameter once, in the body or the query string, with the documented Content-Type.",
  },
  {
    code: "invalid_redirect_uri",
    status: "400",
    endpoints: "Registration",
    meaning: "The redirect_uri is not on one of the domains registered for the statement's application.",
    whatToDo:
      "Use a redirect URI on one of the application's domains, or ask the organization's admin to add the domain to the application.",
  },
  {
    code: "invalid_client_metadata",
    status: "400",
    endpoints: "Registration",
    meaning:
      "The client metadata asks for something this service does not offer, such as a grant type other than client_credentials.",
    whatToDo: 'Register with grant_types ["client_credentials"] or leave grant_types out.',
  },
  {
    code: "invalid_software_statement",
    status: "400",
    endpoints: "Registration",
    meaning:
      "The software statement could not be verified: not a JWT, a bad signature, an unknown issuer or key, an algorithm that is not allowed, an exp in the past or an nbf in the future, or required claims missing.",
    whatToDo:
      "Send the statement exactly as the console produced it. If it was signed by your own issuer, the organization must trust that issuer (Settings → Trusted issuers) with the key it was signed with.",
    rule: 2,
  },
  {
    code: "unapproved_software_statement",
    status: "400",
    endpoints: "Registration",
    meaning:
      "The statement verifies, but no organization holds it, or it has been revoked. A revoked statement cannot register new clients.",
    whatToDo: "Ask the application's organization for a current statement.",
    rule: 2,
  },
  {
    code: "invalid_client",
    status: "400 or 401",
    endpoints: "Token and introspection",
    meaning:
      "The client is unknown, the secret is wrong, or the statement it registered with has been revoked: the client must obtain new credentials.",
    whatToDo:
      "Use the client_id and client_secret stored at registration. If they are lost, or the statement was revoked, register again with a current statement.",
    rule: 4,
  },
  {
    code: "unsupported_grant_type",
    status: "400",
    endpoints: "Token",
    meaning: "The grant_type is not client_credentials, the only grant this service supports.",
    whatToDo: "Send grant_type=client_credentials with the stored client_id and client_secret.",
    rule: 5,
  },
  {
    code: "invalid_access_token_client_application",
    status: "401",
    endpoints: "The protected API (/api/v2/{serviceProvider}/…)",
    meaning:
      "The access token is missing, malformed, expired, or its client's statement has been revoked (the refusal takes effect on the very next call).",
    whatToDo:
      "Get a new token from the token endpoint with the stored credentials. If the token endpoint refuses them too (invalid_client), the statement was revoked: register again with a current one.",
    rule: 5,
  },
  {
    code: "invalid_access_token_service_provider",
    status: "401",
    endpoints: "The protected API (/api/v2/{serviceProvider}/…)",
    meaning:
      "The access token is valid, but for another service provider: a token is valid for the organization whose statement registered its client.",
    whatToDo: "Call the API of the service provider (organization) the client registered with.",
  },
  {
    code: "too_many_requests",
    status: "429",
    endpoints: "Registration, token and the protected API",
    meaning:
      "This address sent more requests than the throttle allows (by default 1 per second, with a burst of 10).",
    whatToDo:
      "Wait for the number of seconds in the Retry-After header, then retry. An app that refreshes before its token expires and keeps its credentials rarely meets it.",
  },
  {
    code: "server_error",
    status: "500",
    endpoints: "Any",
    meaning: "The server could not complete the request. The description carries a request id.",
    whatToDo: "Retry later. If it persists, give the request id to support.",
  },
  {
    code: "temporarily_unavailable",
    status: "503",
    endpoints: "Any but the POSTs to register, token and introspect, which never wait on the console",
    meaning:
      "The part of the service that answers this request is restarting. The response carries Retry-After.",
    whatToDo: "Retry after the number of seconds in Retry-After.",
  },
  {
    code: "not_found",
    status: "404",
    endpoints: "GET /o/client/statement/{applicationId}",
    meaning:
      "This URL publishes no statement: the application is unknown, its statement URL is turned off, or it has no statement that is not revoked.",
    whatToDo:
      "Keep using the statement the app already holds. Its organization's admin turns the URL on in the application's page, or issues a new statement.",
  },
];

export function clientError(code: string): ClientError | undefined {
  return CLIENT_ERRORS.find((e) => e.code === code);
}
