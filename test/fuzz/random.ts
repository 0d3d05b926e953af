/**
 * A small seeded PRNG (mulberry32) and the hostile values the fuzz draws from. Every input is made from
 * `caseRng(seed, index)`, so one failing input can be replayed from the seed and its index alone.
 */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** One of the weighted alternatives, by weight. */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    let roll = this.next() * items.reduce((sum, [w]) => sum + w, 0);
    for (const [weight, item] of items) if ((roll -= weight) < 0) return item;
    return items[items.length - 1]![1];
  }

  text(length: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }
}

export function caseRng(seed: number, index: number): Rng {
  return new Rng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
}

/** Strings that break naive code: control and format characters, surrogates, injections, huge repeats. */
export function hostileString(rng: Rng): string {
  return rng.pick<() => string>([
    () => "",
    () => " \t\r\n ",
    () => "\u0000",
    () => "a\u0000b",
    () => "\uFEFF",
    () => "\u202Egnp.exe",
    () => "\u200B\u200C\u200D\u2060",
    () => "\uD800",
    () => "\uDFFF\uD800",
    () => "🙂".repeat(rng.between(1, 300)),
    () => "e\u0301".repeat(rng.between(1, 400)),
    () => "Ｆｕｌｌｗｉｄｔｈ",
    () => "ǅǈǋ ßẞ İı",
    () => "__proto__",
    () => "constructor",
    () => "prototype",
    () => "toString",
    () => "hasOwnProperty",
    () => "<script>alert(1)</script>",
    () => "' OR '1'='1' --",
    () => '"; DROP TABLE "User"; --',
    () => "../../../../etc/passwd",
    () => "%00%ff%fe",
    () => "${jndi:ldap://127.0.0.1/a}",
    () => "{{7*7}}",
    () => "\r\nSet-Cookie: pwned=1",
    () => "NaN",
    () => "-1e309",
    () => "x".repeat(rng.pick([65, 101, 254, 257, 501, 2049, 4097, 20_000])),
    () => rng.text(rng.between(1, 40), "abc\u00e9\u4e2d\u0627\ud83d\ude00 !#$%&'()*+,-./:;<=>?@[]^_`{|}~"),
  ])();
}

/** A JSON value of any type, often not the type a field wants. */
export function hostileValue(rng: Rng, depth = 0): unknown {
  return rng.pick<() => unknown>([
    () => null,
    () => true,
    () => false,
    () => 0,
    () => -1,
    () => 1e308,
    () => 2 ** 53 + 1,
    () => 0.5,
    () => hostileString(rng),
    () => [],
    () => ({}),
    () => (depth < 3 ? [hostileValue(rng, depth + 1)] : "leaf"),
    () => (depth < 3 ? { [hostileKey(rng)]: hostileValue(rng, depth + 1) } : "leaf"),
    () => JSON.parse('{"__proto__":{"polluted":true,"isAdmin":true}}') as unknown,
    () => ({ constructor: { prototype: { polluted: true } } }),
    () => nested(rng.pick([50, 500])),
  ])();
}

export function hostileKey(rng: Rng): string {
  return rng.pick([
    "__proto__",
    "constructor",
    "prototype",
    "",
    " ",
    "\u0000",
    "role",
    "id",
    "organizationId",
    "🙂",
    "a".repeat(300),
  ]);
}

/** A path segment, whatever the string (a lone surrogate cannot be percent-encoded: it becomes U+FFFD). */
export function segment(text: string): string {
  return encodeURIComponent(text.toWellFormed());
}

/** `[[[…]]]` nested `depth` levels deep. */
export function nested(depth: number): unknown {
  return JSON.parse("[".repeat(depth) + "]".repeat(depth)) as unknown;
}

/** Raw UTF-8 that is not valid: a lone continuation byte, an overlong form, an encoded surrogate, 0xff. */
export function invalidUtf8(rng: Rng): Buffer {
  return Buffer.from(
    rng.pick([
      [0x80],
      [0xc0, 0x80],
      [0xed, 0xa0, 0x80],
      [0xff],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
      [0xe2, 0x82],
    ]),
  );
}

/** `text` with invalid UTF-8 spliced in at a random place. */
export function withInvalidUtf8(rng: Rng, text: string): Buffer {
  const bytes = Buffer.from(text);
  const at = rng.int(bytes.length + 1);
  return Buffer.concat([bytes.subarray(0, at), invalidUtf8(rng), bytes.subarray(at)]);
}
