/**
 * The simulated client's HTTP: real requests from the browser to this server's own endpoints, recorded in
 * full (headers, body, status, time) for the timeline. No cookies are sent: a device has no console session.
 */
export type HttpRequest = {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
};

export type HttpResponse = {
  status: number;
  statusText: string;
  headers: [string, string][];
  text: string;
  /** The body parsed as JSON, or null when it is not JSON. */
  json: Record<string, unknown> | null;
};

export type Exchange = {
  request: HttpRequest;
  response: HttpResponse | null;
  /** Why there is no response (the network failed). */
  error?: string;
  ms: number;
};

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  413: "Content Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

export async function send(request: HttpRequest): Promise<Exchange> {
  const started = performance.now();
  try {
    const res = await fetch(request.path, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      credentials: "omit",
      cache: "no-store",
      redirect: "manual",
    });
    const text = await res.text();
    return {
      request,
      response: {
        status: res.status,
        statusText: res.statusText || STATUS_TEXT[res.status] || "",
        headers: [...res.headers.entries()],
        text,
        json: parseObject(text),
      },
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { request, response: null, error: message, ms: Math.round(performance.now() - started) };
  }
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export function responseHeader(response: HttpResponse, name: string): string | null {
  return response.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? null;
}

/** A JSON field as a string, when the response has it. */
export function field(exchange: Exchange, name: string): string | undefined {
  const value = exchange.response?.json?.[name];
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/** The X-Device-Info header: base64 of the profile's JSON (UTF-8), or null when the JSON does not parse. */
export function encodeDeviceInfo(json: string): string | null {
  try {
    const compact = JSON.stringify(JSON.parse(json));
    let binary = "";
    for (const byte of new TextEncoder().encode(compact)) binary += String.fromCharCode(byte);
    return btoa(binary);
  } catch {
    return null;
  }
}

/** A JWT's header and claims, decoded without verifying anything: what the client can see in its token. */
export function decodeJwt(
  token: string,
): { header: Record<string, unknown>; claims: Record<string, unknown> } | null {
  const [header, claims] = token.split(".");
  if (!header || !claims) return null;
  try {
    const decode = (part: string) => {
      const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
      return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    };
    return { header: decode(header), claims: decode(claims) };
  } catch {
    return null;
  }
}
