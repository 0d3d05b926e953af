import { Sender } from "./sender";

/**
 * Sends due webhook deliveries: a Sender filled every `intervalMs`, and again whenever an attempt ends and frees
 * its slot, so a slow receiver delays nobody else's delivery. Started once per console process
 * (server/next-app.ts): one per machine, whatever WEB_CONCURRENCY; instances sharing a database each run one,
 * and the claim (lib/webhooks/deliver.ts) keeps them from sending an attempt twice. Returns a function that
 * stops it, resolving once the attempts in flight have ended.
 */
export function startWebhookWorker(intervalMs = 2_000): () => Promise<void> {
  let stopped = false;
  const fill = () => {
    if (stopped) return;
    sender.fill().catch((error: unknown) => console.error("[webhooks] delivery pass failed:", error));
  };
  const sender = new Sender(fill);
  const timer = setInterval(fill, intervalMs).unref();
  return () => {
    stopped = true;
    clearInterval(timer);
    return sender.idle();
  };
}
