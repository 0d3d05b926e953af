import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { START_APP } from "./child-server";

describe("the app the tests and benchmarks start", () => {
  it("is started exactly as `npm start` starts it", () => {
    const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as {
      scripts: Record<string, string>;
    };
    // `exec`: the shell npm runs the script in becomes node, so npm's SIGTERM/SIGINT reach the server.
    expect(scripts.start).toBe(`exec ${[START_APP.command, ...START_APP.args].join(" ")}`);
  });
});
