/**
 * Text any database can hold: an unpaired UTF-16 surrogate (which has no UTF-8 form) and NUL (which
 * PostgreSQL cannot store in text) become U+FFFD. Request bodies and headers can carry both.
 */
export function storableText(value: string): string {
  const text = value.isWellFormed() ? value : value.toWellFormed();
  return text.includes("\0") ? text.replaceAll("\0", "\uFFFD") : text;
}
