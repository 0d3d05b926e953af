import { useSyncExternalStore } from "react";

/** The current time in whole seconds, re-rendering each second while something shows a countdown. */
function subscribe(onTick: () => void) {
  const timer = setInterval(onTick, 250);
  return () => clearInterval(timer);
}
const nowSeconds = () => Math.floor(Date.now() / 1000);

export function useNowSeconds(): number {
  return useSyncExternalStore(subscribe, nowSeconds, () => 0);
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600
    ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
    : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
