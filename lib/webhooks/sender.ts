import "server-only";
import { attempt, claimDue, nextWebhookWithPending, type Claim } from "./deliver";

/**
 * How many attempts one process has in flight at once, in all and per webhook and per organization. An attempt
 * to a receiver that never answers holds its slot for the response timeout (lib/webhooks/send.ts), so the caps
 * are what keep a stuck receiver from holding everyone's: one webhook holds at most PER_WEBHOOK slots, one
 * organization (up to 10 webhooks) at most PER_ORGANIZATION, which leaves most of the pool to the others.
 */
export const MAX_IN_FLIGHT = 32;
export const MAX_IN_FLIGHT_PER_WEBHOOK = 4;
export const MAX_IN_FLIGHT_PER_ORGANIZATION = 8;

/**
 * A process's pool of delivery attempts. `fill` walks the webhooks that have something pending in turn, from
 * where the last walk stopped (round-robin by webhook id), and claims for each no more of its due deliveries
 * than the caps leave room for; attempts run on their own, and a finished one frees its slot for the next
 * `fill`. Nothing waits for the slowest attempt: a new event for another webhook is claimed at the next fill
 * while a stuck receiver's attempts run out their timeouts.
 */
export class Sender {
  private inFlight = 0;
  private readonly perWebhook = new Map<string, number>();
  private readonly perOrganization = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  /** The last webhook visited: the next walk starts after it. */
  private cursor = "";
  private filling: Promise<number> | null = null;
  private again = false;

  /** `onSettled` runs when an attempt ends (and its slot is free), e.g. to fill again. */
  constructor(private readonly onSettled?: () => void) {}

  /**
   * Claims and starts what the free slots allow, walking the webhooks with pending deliveries once around.
   * Calls made while one runs are folded into it (it walks again). Returns how many attempts it started.
   */
  fill(now?: Date): Promise<number> {
    if (this.filling) {
      this.again = true;
      return this.filling;
    }
    this.filling = (async () => {
      let started = 0;
      do {
        this.again = false;
        started += await this.walk(now ?? new Date());
      } while (this.again);
      return started;
    })().finally(() => (this.filling = null));
    return this.filling;
  }

  /** Resolves once no fill is running and no attempt is in flight. */
  async idle(): Promise<void> {
    while (this.filling || this.running.size > 0) await Promise.allSettled([this.filling, ...this.running]);
  }

  private async walk(now: Date): Promise<number> {
    let started = 0;
    const visited = new Set<string>();
    let wrapped = false;
    while (this.inFlight < MAX_IN_FLIGHT) {
      const next = await nextWebhookWithPending(this.cursor);
      if (!next) {
        // Past the last webhook: go round from the first, once.
        if (wrapped || this.cursor === "") break;
        [this.cursor, wrapped] = ["", true];
        continue;
      }
      if (visited.has(next.webhookId)) break;
      visited.add(next.webhookId);
      this.cursor = next.webhookId;
      const room = Math.min(
        MAX_IN_FLIGHT - this.inFlight,
        MAX_IN_FLIGHT_PER_WEBHOOK - (this.perWebhook.get(next.webhookId) ?? 0),
        MAX_IN_FLIGHT_PER_ORGANIZATION - (this.perOrganization.get(next.organizationId) ?? 0),
      );
      if (room <= 0) continue;
      for (const claim of await claimDue(next.webhookId, now, room)) {
        this.start(claim, next.organizationId, now);
        started++;
      }
    }
    return started;
  }

  private start(claim: Claim, organizationId: string, now: Date) {
    const count = (delta: number) => {
      this.inFlight += delta;
      bump(this.perWebhook, claim.webhookId, delta);
      bump(this.perOrganization, organizationId, delta);
    };
    count(1);
    const run: Promise<void> = attempt(claim, now)
      .catch((error: unknown) => console.error("[webhooks] delivery attempt failed:", error))
      .finally(() => {
        count(-1);
        this.running.delete(run);
        this.onSettled?.();
      });
    this.running.add(run);
  }
}

function bump(counts: Map<string, number>, key: string, delta: number) {
  const n = (counts.get(key) ?? 0) + delta;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}

/**
 * One walk, waiting for the attempts it started: what tests call, with the time they want it to be. Returns how
 * many attempts it made.
 */
export async function deliverDue(now = new Date()): Promise<number> {
  const sender = new Sender();
  const started = await sender.fill(now);
  await sender.idle();
  return started;
}
