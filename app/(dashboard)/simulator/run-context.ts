import type { Scenario } from "@/lib/simulator/ticket";
import { decodeJwt, field, send, type Exchange, type HttpRequest } from "./http";
import type { Session, Setup, SimulatorRun, StepEntry, StepName, Tone } from "./run";

// A ticket is valid 15 minutes; a walkthrough reuses its ticket for a little less than that.
const TICKET_REUSE_MS = 14 * 60_000;

const WALKTHROUGH_NOTES: Record<StepName, string> = {
  register:
    "A new client: its own client_id and secret, one pair per installed app (FAQ rule 3). The device stores them; the secret is in this response only (the server keeps a hash of it).",
  token:
    "A bearer token for the protected APIs. Before it expires, the device gets a new one the same way, with the same stored credentials (FAQ rule 5).",
  api: "The protected API accepts the token: the client's statement is active and the token is for this service provider.",
};

/** One step's or scenario's view of the run: real HTTP calls, recorded on the timeline. */
export class RunContext {
  private readonly run: ReturnType<SimulatorRun["internals"]>;

  constructor(
    private readonly owner: SimulatorRun,
    generation: number,
    readonly scenario: Scenario,
    private readonly setup: Setup,
  ) {
    this.run = owner.internals(generation);
  }

  live = () => this.run.live();
  device = () => this.run.device();
  forgetDevice = () => this.run.setDevice(null);

  note(title: string, text: string, tone: Tone = "info", until?: number) {
    this.run.append({ kind: "note", scenario: this.scenario, title, text, tone, until });
  }

  /** A ticket for this scenario (a walkthrough reuses its own while it is fresh); null, with a note, if refused. */
  async ticket(tokenLifetimeSeconds?: number): Promise<Session | null> {
    const current = this.run.session();
    const reusable =
      this.scenario === "walkthrough" &&
      current?.scenario === "walkthrough" &&
      current.statementId === this.setup.statementId &&
      Date.now() - current.at < TICKET_REUSE_MS;
    if (reusable) return current;
    const { statementId } = this.setup;
    const result = await this.run.startRun({ statementId, scenario: this.scenario, tokenLifetimeSeconds });
    if (!this.live()) return null;
    if (!result.ok) {
      this.note("The simulation could not start", result.error, "danger");
      return null;
    }
    const session = { ...result, statementId, scenario: this.scenario, at: Date.now() };
    this.run.setSession(session);
    return session;
  }

  private async exchange(
    step: StepName,
    title: string,
    request: HttpRequest,
    secrets: string[],
    note?: string,
  ) {
    const exchange = await send(request);
    if (!this.live()) return null;
    const succeeded = Boolean(exchange.response && exchange.response.status < 300);
    const entry: Omit<StepEntry, "id"> = {
      kind: "step",
      step,
      title,
      scenario: this.scenario,
      exchange,
      secrets,
      // The walkthrough explains each step; scenarios tell their own story with notes.
      note: note ?? (succeeded && this.scenario === "walkthrough" ? WALKTHROUGH_NOTES[step] : undefined),
    };
    return { exchange, entry, append: () => this.run.append(entry) };
  }

  async register(session: Session, title = "Register", note?: string): Promise<Exchange | null> {
    const request: HttpRequest = {
      method: "POST",
      path: "/o/client/register",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-Device-Info": this.setup.deviceInfoHeader,
        "X-Simulation-Ticket": session.ticket,
      },
      body: JSON.stringify({ software_statement: session.softwareStatement }),
    };
    const done = await this.exchange("register", title, request, [session.ticket], note);
    if (!done) return null;
    const clientId = field(done.exchange, "client_id");
    const clientSecret = field(done.exchange, "client_secret");
    if (done.exchange.response?.status === 201 && clientId && clientSecret) {
      done.entry.secrets.push(clientSecret);
      this.run.setDevice({ clientId, clientSecret, registeredAt: Date.now(), token: null });
    }
    done.append();
    return done.exchange;
  }

  /** The token endpoint with the device's stored credentials (a refresh is the very same call). */
  async token(title = "Get token", note?: string): Promise<Exchange | null> {
    const device = this.device();
    if (!device) {
      this.note(title, "The device holds no credentials: register first.", "warning");
      return null;
    }
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: device.clientId,
      client_secret: device.clientSecret,
    }).toString();
    const request: HttpRequest = {
      method: "POST",
      path: "/o/client/token",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body,
    };
    const done = await this.exchange("token", title, request, [device.clientSecret], note);
    if (!done) return null;
    const accessToken = field(done.exchange, "access_token");
    const expiresIn = Number(field(done.exchange, "expires_in"));
    if (done.exchange.response?.status === 201 && accessToken && expiresIn > 0) {
      const expiresAt = Date.now() + expiresIn * 1000;
      const decoded = decodeJwt(accessToken);
      if (decoded) done.entry.token = { ...decoded, expiresAt };
      done.entry.secrets.push(accessToken);
      this.run.setDevice({ ...device, token: { accessToken, expiresAt } });
    }
    done.append();
    return done.exchange;
  }

  /** The protected sample resource with the device's current token. */
  async api(title = "Call the API", note?: string): Promise<Exchange | null> {
    const token = this.device()?.token;
    if (!token) {
      this.note(title, "The device holds no access token: get one first.", "warning");
      return null;
    }
    const request: HttpRequest = {
      method: "GET",
      path: `/api/v2/${encodeURIComponent(this.owner.serviceProvider)}/configuration`,
      headers: { Accept: "application/json", Authorization: `Bearer ${token.accessToken}` },
    };
    const done = await this.exchange("api", title, request, [token.accessToken], note);
    done?.append();
    return done?.exchange ?? null;
  }

  /** Waits (or stops early when the run is reset); true if the run is still live. */
  async wait(ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (this.live() && Date.now() < end)
      await new Promise((r) => setTimeout(r, Math.min(250, end - Date.now())));
    return this.live();
  }
}
