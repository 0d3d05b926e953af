/** Secrets on screen: the first characters, then dots, until the viewer asks to reveal them. */
export function maskSecret(secret: string): string {
  return `${secret.slice(0, 6)}••••••••`;
}

export function maskAll(text: string, secrets: string[]): string {
  // Longest first, so a secret that contains another is masked whole.
  return [...secrets]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .reduce((out, secret) => out.split(secret).join(maskSecret(secret)), text);
}
