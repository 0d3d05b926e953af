import { deliverDue } from "./deliver";

/**
 * Sends due webhook deliveries every `intervalMs`. Started once per console process (server/next-app.ts): one per
 * machine, whatever WEB_CONCURRENCY; instances sharing a database each run one, and deliverDue's claim keeps
 * them from sending an attempt twice. Returns a function that stops it.
 */
export function startWebhookWorker(intervalMs = 2_000): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const pass = async () => {
    try {
      // A full batch may mean more are due: go again at once.
      while (!stopped && (await deliverDue()) > 0);
    } catch (error) {
      console.error("[webhooks] delivery pass failed:", error);
    }
    if (!stopped) timer = setTimeout(() => void pass(), intervalMs).unref();
  };
  timer = setTimeout(() => void pass(), intervalMs).unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
