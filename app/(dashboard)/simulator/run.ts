import type { Scenario } from "@/lib/simulator/ticket";
import type { RunStart } from "./actions";
import { loadDevice, saveDevice, type DeviceState } from "./device-storage";
import type { Exchange } from "./http";
import { RunContext } from "./run-context";

export type Tone = "info" | "success" | "warning" | "danger";
export type StepName = "register" | "token" | "api";
export type DecodedToken = {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  expiresAt: number;
};

export type StepEntry = {
  kind: "step";
  id: number;
  step: StepName;
  title: string;
  scenario: Scenario;
  exchange: Exchange;
  /** Values masked on screen until revealed (client secret, tokens, ticket). */
  secrets: string[];
  note?: string;
  token?: DecodedToken;
};
export type NoteEntry = {
  kind: "note";
  id: number;
  scenario: Scenario;
  title: string;
  text: string;
  tone: Tone;
  /** A moment the note counts down to (the token's expiry). */
  until?: number;
};
export type Entry = StepEntry | NoteEntry;

/** What the steps need from the setup form: the statement and the X-Device-Info header. */
export type Setup = { statementId: string; deviceInfoHeader: string };
export type Snapshot = {
  statementId: string | null;
  entries: Entry[];
  device: DeviceState | null;
  busy: string | null;
};
export type Session = Extract<RunStart, { ok: true }> & {
  statementId: string;
  scenario: Scenario;
  at: number;
};
type StartRun = (input: {
  statementId: string;
  scenario: Scenario;
  tokenLifetimeSeconds?: number;
}) => Promise<RunStart>;

/**
 * The simulator's state, outside React (read with useSyncExternalStore): the timeline, the simulated
 * device's credentials and token, and the run's ticket. Reset or a change of statement starts a new run;
 * whatever the previous run still had in flight is then ignored.
 */
export class SimulatorRun {
  private snapshot: Snapshot = { statementId: null, entries: [], device: null, busy: null };
  private readonly listeners = new Set<() => void>();
  private generation = 0;
  private nextId = 1;
  private session: Session | null = null;

  constructor(
    readonly serviceProvider: string,
    private readonly startRun: StartRun,
  ) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  getSnapshot = () => this.snapshot;

  private update(patch: Partial<Snapshot>) {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }

  /** A new run on this statement: an empty timeline, and the device holding what it stored for it. */
  selectStatement(statementId: string) {
    this.generation++;
    this.session = null;
    const device = statementId ? loadDevice(this.serviceProvider, statementId) : null;
    this.update({ statementId, entries: [], device, busy: null });
  }

  /** Ignores whatever is still in flight (the page is going away); keeps the timeline and the device. */
  stop() {
    this.generation++;
    this.session = null;
  }

  /** Clears the timeline and the device's credentials. Registrations already made stay, marked simulated. */
  reset() {
    if (this.snapshot.statementId) saveDevice(this.serviceProvider, this.snapshot.statementId, null);
    this.generation++;
    this.session = null;
    this.update({ entries: [], device: null, busy: null });
  }

  /** Runs one step or scenario; nothing else runs meanwhile. */
  async run(label: string, scenario: Scenario, setup: Setup, work: (ctx: RunContext) => Promise<unknown>) {
    if (this.snapshot.busy || setup.statementId !== this.snapshot.statementId) return;
    const ctx = new RunContext(this, this.generation, scenario, setup);
    this.update({ busy: label });
    try {
      await work(ctx);
    } catch (error) {
      // A server action that could not be reached, say: the timeline says so instead of failing silently.
      ctx.note("The step could not run", error instanceof Error ? error.message : String(error), "danger");
    } finally {
      if (ctx.live()) this.update({ busy: null });
    }
  }

  /** For RunContext only. */
  internals(generation: number) {
    const live = () => generation === this.generation;
    return {
      live,
      append: (entry: Omit<StepEntry, "id"> | Omit<NoteEntry, "id">) => {
        if (live())
          this.update({ entries: [...this.snapshot.entries, { ...entry, id: this.nextId++ } as Entry] });
      },
      device: () => this.snapshot.device,
      setDevice: (device: DeviceState | null) => {
        if (!live() || !this.snapshot.statementId) return;
        saveDevice(this.serviceProvider, this.snapshot.statementId, device);
        this.update({ device });
      },
      session: () => this.session,
      setSession: (session: Session) => void (live() && (this.session = session)),
      startRun: this.startRun,
    };
  }
}
