import type { RequestMeta } from "@/lib/audit";

/**
 * Headers set by our own server (server/front.ts) on every request, after discarding any a client sent:
 * the client's IP (the socket's, or X-Forwarded-For's first hop when TRUST_PROXY is set) and a request id.
 */
export const CLIENT_IP_HEADER = "x-client-ip";
export const REQUEST_ID_HEADER = "x-request-id";

type HeaderBag = { get(name: string): string | null };

export function requestMetaFrom(headers: HeaderBag): RequestMeta {
  return {
    requestId: headers.get(REQUEST_ID_HEADER),
    ip: headers.get(CLIENT_IP_HEADER),
    userAgent: headers.get("user-agent"),
  };
}
