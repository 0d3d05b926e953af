/**
 * Other texts of one signed JWS, as an attacker makes them from a statement they have seen: the signature
 * bytes, or the signed bytes, do not change.
 */

/** The same signature with s replaced by n − s: also valid for P-256 (ECDSA malleability). */
export function malleated(jwt: string): string {
  const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
  const [h, p, sig] = jwt.split(".");
  const raw = Buffer.from(sig!, "base64url");
  const s = BigInt(`0x${raw.subarray(32).toString("hex")}`);
  const flipped = Buffer.from((n - s).toString(16).padStart(64, "0"), "hex");
  return `${h}.${p}.${Buffer.concat([raw.subarray(0, 32), flipped]).toString("base64url")}`;
}

/** The last character with its lowest bit flipped: unused bits of base64url, the bytes do not change. */
export function bitFlipped(jwt: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const last = alphabet.indexOf(jwt.at(-1)!);
  return jwt.slice(0, -1) + alphabet[last ^ 1];
}
