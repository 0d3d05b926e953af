const DATE_TIME = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function formatDateTime(date: Date): string {
  return `${DATE_TIME.format(date)} UTC`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en");
}
