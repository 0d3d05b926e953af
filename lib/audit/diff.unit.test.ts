import { describe, expect, it } from "vitest";
import { diffSnapshots } from "./diff";

describe("diffSnapshots", () => {
  it("lists added, removed and changed keys at any depth, sorted by path", () => {
    expect(
      diffSnapshots(
        { name: "Old", status: "active", claims: { scopes: ["a", "b"], iss: "x" }, gone: 1 },
        { name: "New", status: "active", claims: { scopes: ["a", "c", "d"], iss: "x" }, extra: true },
      ),
    ).toEqual([
      { path: "claims.scopes[1]", kind: "changed", before: "b", after: "c" },
      { path: "claims.scopes[2]", kind: "added", after: "d" },
      { path: "extra", kind: "added", after: true },
      { path: "gone", kind: "removed", before: 1 },
      { path: "name", kind: "changed", before: "Old", after: "New" },
    ]);
  });

  it("lists every field of a creation as added and of a deletion as removed", () => {
    expect(diffSnapshots(undefined, { a: 1, b: { c: 2 } })).toEqual([
      { path: "a", kind: "added", after: 1 },
      { path: "b", kind: "added", after: { c: 2 } },
    ]);
    expect(diffSnapshots({ a: 1 }, undefined)).toEqual([{ path: "a", kind: "removed", before: 1 }]);
  });

  it("reports nothing for equal snapshots and a type change as one change", () => {
    expect(diffSnapshots({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toEqual([]);
    expect(diffSnapshots({ a: { b: 1 } }, { a: "flat" })).toEqual([
      { path: "a", kind: "changed", before: { b: 1 }, after: "flat" },
    ]);
    expect(diffSnapshots(undefined, undefined)).toEqual([]);
  });
});
