import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { START_APP, startCommandIn } from "./child-server";

describe("the app the tests and benchmarks start", () => {
  it("is started exactly as `npm start` starts it", () => {
    const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as {
      scripts: Record<string, string>;
    };
    // `exec`: the shell npm runs the script in becomes node, so npm's SIGTERM/SIGINT reach the server.
    expect(scripts.start).toBe(`exec ${[START_APP.command, ...START_APP.args].join(" ")}`);
  });

  it("starts another checkout as its own package.json says, a command of its node_modules/.bin included", () => {
    expect(startCommandIn(".")).toEqual(START_APP);
    const dir = mkdtempSync(path.join(tmpdir(), "start-command-"));
    try {
      // How `npm start` started the app before server/register.cjs (what BENCH_BASE may point at).
      const start = "exec tsx --tsconfig server/tsconfig.json server/start.ts";
      writeFileSync(path.join(dir, "package.json"), JSON.stringify({ scripts: { start } }));
      mkdirSync(path.join(dir, "node_modules", ".bin"), { recursive: true });
      writeFileSync(path.join(dir, "node_modules", ".bin", "tsx"), "");
      expect(startCommandIn(dir)).toEqual({
        command: path.join("node_modules", ".bin", "tsx"),
        args: ["--tsconfig", "server/tsconfig.json", "server/start.ts"],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
