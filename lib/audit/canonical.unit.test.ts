import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical";

describe("canonicalJson", () => {
  it("serialises objects with keys sorted at every depth", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it("gives equal values equal bytes whatever their key order", () => {
    expect(canonicalJson({ x: 1, y: { p: true, q: "s" } })).toBe(
      canonicalJson({ y: { q: "s", p: true }, x: 1 }),
    );
  });

  it("drops undefined fields and writes dates as ISO strings", () => {
    expect(canonicalJson({ a: undefined, at: new Date("2026-01-02T03:04:05.006Z") })).toBe(
      '{"at":"2026-01-02T03:04:05.006Z"}',
    );
  });
});
