import type { Scenario } from "@/lib/simulator/ticket";
import { field, responseHeader, type Exchange } from "./http";
import type { RunContext } from "./run-context";

/** The FAQ's cases, played on the timeline with real calls (docs/client-api.md; the FAQ rules 1–5 in docs/product.md). */
export const EXPIRY_SECONDS = 20;

/** Whether a step got the status the scenario expects; if not, the scenario stops and says why. */
function expectStatus(ctx: RunContext, exchange: Exchange | null, status: number): boolean {
  if (!exchange) return false;
  const got = exchange.response?.status;
  if (got === status) return true;
  if (got === 429) {
    const retry = responseHeader(exchange.response!, "retry-after") ?? "a few";
    ctx.note(
      "Scenario stopped: throttled",
      `The server throttles this address. Retry in ${retry} s.`,
      "warning",
    );
  } else {
    ctx.note(
      "Scenario stopped",
      got ? `Expected ${status}, got ${got}.` : `The request failed: ${exchange.error ?? "no response"}.`,
      "danger",
    );
  }
  return false;
}

export const REFRESH_NOTE =
  "Refreshing is the same token call with the same stored credentials: same client_id, new token. " +
  "Registering again instead would make a new client and lose the user's sign-in (FAQ rule 5).";

async function lostCredentials(ctx: RunContext) {
  const session = await ctx.ticket();
  if (!session) return;
  let before = ctx.device();
  if (before) {
    ctx.note("The app holds credentials", `It registered earlier as client ${before.clientId}.`);
  } else {
    ctx.note("The app is installed", "It registers and gets a token; its user signs in on this client.");
    if (!expectStatus(ctx, await ctx.register(session), 201)) return;
    if (!expectStatus(ctx, await ctx.token(), 201)) return;
    before = ctx.device();
  }
  ctx.forgetDevice();
  ctx.note(
    "The app loses its credentials",
    "Reinstalled, storage cleared, or restored on a new device: without its client_id and secret it cannot get a token, so it must register again (FAQ rule 4).",
    "warning",
  );
  if (!expectStatus(ctx, await ctx.register(session, "Register again"), 201)) return;
  if (!expectStatus(ctx, await ctx.token(), 201)) return;
  if (!expectStatus(ctx, await ctx.api(), 200)) return;
  const after = ctx.device();
  ctx.note(
    "A new client_id: the earlier profile is gone",
    `New client_id ${after?.clientId}, was ${before?.clientId}. The user's authenticated profile belonged to the old client: they must sign in again with their provider. Registrations shows both; many registrations from one device model is the sign of an app that keeps losing its credentials.`,
    "warning",
  );
}

async function tokenExpiry(ctx: RunContext) {
  const session = await ctx.ticket(EXPIRY_SECONDS);
  if (!session) return;
  ctx.note(
    `Tokens that live ${EXPIRY_SECONDS} s, for this run only`,
    "The ticket gives this run's registration a short token lifetime, so the expiry can be watched. Only simulated registrations can have one; real clients get the organization's lifetime.",
  );
  if (!expectStatus(ctx, await ctx.register(session), 201)) return;
  if (!expectStatus(ctx, await ctx.token(), 201)) return;
  if (!expectStatus(ctx, await ctx.api(), 200)) return;
  const expiresAt = ctx.device()?.token?.expiresAt ?? Date.now();
  ctx.note(
    "Waiting for the token to expire",
    "The app forgot to refresh before expiry. Its next API call will be refused.",
    "info",
    expiresAt,
  );
  if (!(await ctx.wait(expiresAt - Date.now() + 1500))) return;
  if (!expectStatus(ctx, await ctx.api("Call the API (token expired)"), 401)) return;
  if (!expectStatus(ctx, await ctx.token("Refresh", REFRESH_NOTE), 201)) return;
  if (!expectStatus(ctx, await ctx.api("Call the API (refreshed token)"), 200)) return;
  ctx.note(
    "Recovered",
    "The refreshed token works: same client, no new registration, the user stays signed in. An app that refreshes before expiry never shows its users the 401.",
    "success",
  );
}

async function revokedStatement(ctx: RunContext) {
  const stored = ctx.device();
  const session = await ctx.ticket();
  if (!session) return;
  if (session.statementStatus !== "revoked") {
    ctx.note("This statement is active", "Revoke it on its page first, then play this scenario.", "warning");
    return;
  }
  const register = await ctx.register(
    session,
    "Register (a new install)",
    "A revoked statement can no longer register anything: new installs of this build cannot get credentials.",
  );
  if (!expectStatus(ctx, register, 400)) return;
  if (!stored) {
    ctx.note(
      "No stored credentials for this statement",
      "This browser holds no credentials registered with it before the revocation (run the walkthrough before revoking to see them fail). A device that registered before would get 400 invalid_client from the token endpoint, and its token 401 invalid_access_token_client_application from the API.",
      "warning",
    );
  } else {
    const note = `With the credentials the device stored before the revocation (client ${stored.clientId}).`;
    if (!expectStatus(ctx, await ctx.token("Get token (stored credentials)", note), 400)) return;
    if (stored.token) {
      const api = await ctx.api("Call the API (token from before)", "A token minted before the revocation.");
      if (!expectStatus(ctx, api, 401)) return;
    }
  }
  ctx.note(
    "Users are blocked from playback",
    "Every client registered with this statement is cut off: no token, no API call, so its users cannot play anything. The fix is a build with a new statement; each device registers again and its users sign in again.",
    "danger",
  );
}

export const SCENARIOS: Record<Exclude<Scenario, "walkthrough">, (ctx: RunContext) => Promise<void>> = {
  lost_credentials: lostCredentials,
  token_expiry: tokenExpiry,
  revoked_statement: revokedStatement,
};

/** The note a walkthrough register gets when the device already had credentials. */
export function reRegisterNote(previousClientId: string | undefined): string | undefined {
  return previousClientId
    ? `The device already held credentials (client ${previousClientId}): registering again made a second client. A real app registers only when it holds none (FAQ rule 1).`
    : undefined;
}

/** The error a failed exchange reports, in either error format, for one line of text. */
export function errorSummary(exchange: Exchange): string | undefined {
  const code = field(exchange, "error") ?? field(exchange, "code");
  const message = field(exchange, "error_description") ?? field(exchange, "message");
  return code ? `${code}${message ? `: ${message}` : ""}` : undefined;
}

export type WalkthroughStep = "register" | "token" | "api" | "refresh";

/** The four steps, one button each, on the run's walkthrough ticket. */
export const WALKTHROUGH: Record<WalkthroughStep, (ctx: RunContext) => Promise<unknown>> = {
  register: async (ctx) => {
    const previous = ctx.device()?.clientId;
    const session = await ctx.ticket();
    if (session) await ctx.register(session, "Register", reRegisterNote(previous));
  },
  token: (ctx) => ctx.token(),
  api: (ctx) => ctx.api(),
  refresh: (ctx) => ctx.token("Refresh", REFRESH_NOTE),
};
