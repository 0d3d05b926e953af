/** One difference between two snapshots, at a dotted path such as `claims.scopes[1]`. */
export type DiffEntry =
  | { path: string; kind: "added"; after: unknown }
  | { path: string; kind: "removed"; before: unknown }
  | { path: string; kind: "changed"; before: unknown; after: unknown };

type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain =>
  v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date);

function join(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

/**
 * The keys added, removed and changed between `before` and `after`, at any depth, in a stable order.
 * Objects and arrays are walked into; anything else is compared by value. A missing snapshot counts as
 * empty, so a creation lists every field as added.
 */
export function diffSnapshots(before: unknown, after: unknown, path = ""): DiffEntry[] {
  if (before === undefined && after === undefined) return [];
  if (path === "" && before === undefined && isPlain(after)) return diffSnapshots({}, after);
  if (path === "" && after === undefined && isPlain(before)) return diffSnapshots(before, {});
  if (isPlain(before) && isPlain(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      const [b, a] = [before[key], after[key]];
      const at = join(path, key);
      if (!(key in before) || b === undefined) return a === undefined ? [] : [added(at, a)];
      if (!(key in after) || a === undefined) return [removed(at, b)];
      return diffSnapshots(b, a, at);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => i).flatMap((i) => {
      const at = join(path, i);
      if (i >= before.length) return [added(at, after[i])];
      if (i >= after.length) return [removed(at, before[i])];
      return diffSnapshots(before[i], after[i], at);
    });
  }
  if (same(before, after)) return [];
  return [{ path: path || "(value)", kind: "changed", before, after }];
}

const added = (path: string, after: unknown): DiffEntry => ({ path, kind: "added", after });
const removed = (path: string, before: unknown): DiffEntry => ({ path, kind: "removed", before });

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b);
}
