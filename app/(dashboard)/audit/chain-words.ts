/** Which of an organization's chains an event is on, in words: its own (the console's), or a client lane. */
export function chainWords(lane: number | null): string {
  return lane === null ? "this organization's trail" : `this organization's client events, lane ${lane}`;
}
