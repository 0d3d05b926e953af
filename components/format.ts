const DATE_TIME = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function formatDateTime(date: Date): string {
  return `${DATE_TIME.format(date)} UTC`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en");
}

/** "2026-11-27 10:15 UTC": for dense tables, where two full dates per row would not fit. */
export function formatCompactDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
