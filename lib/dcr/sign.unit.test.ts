import { execFileSync } from "node:child_process";
import { generateKeyPairSync, verify, type KeyObject } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";

vi.stubEnv("DATA_DIR", mkdtempSync(path.join(tmpdir(), "sc-sign-")));
vi.stubEnv("DCR_SIGNERS", "2");
const { signRs256, signerNice } = await import("./sign");

const rsa = () => generateKeyPairSync("rsa", { modulusLength: 2048 });
const part = (token: string, i: number) => token.split(".")[i]!;
const decoded = (token: string, i: number) =>
  JSON.parse(Buffer.from(part(token, i), "base64url").toString("utf8")) as Record<string, unknown>;
const verifies = (token: string, publicKey: KeyObject) =>
  verify(
    "sha256",
    Buffer.from(`${part(token, 0)}.${part(token, 1)}`),
    publicKey,
    Buffer.from(part(token, 2), "base64url"),
  );

describe("signRs256 (batched on signing threads)", () => {
  it("gives every request in a batch its own token, signed with its own key", async () => {
    const [a, b] = [rsa(), rsa()];
    // Asked for in one turn: they travel in batches, split over both signers and both keys.
    const tokens = await Promise.all(
      Array.from({ length: 200 }, (_, n) =>
        signRs256({ kid: n % 3 ? "a" : "b", typ: "JWT" }, { n }, n % 3 ? a.privateKey : b.privateKey),
      ),
    );
    tokens.forEach((token, n) => {
      expect(decoded(token, 0)).toEqual({ alg: "RS256", kid: n % 3 ? "a" : "b", typ: "JWT" });
      expect(decoded(token, 1)).toEqual({ n });
      expect(verifies(token, n % 3 ? a.publicKey : b.publicKey)).toBe(true);
      expect(verifies(token, n % 3 ? b.publicKey : a.publicKey)).toBe(false);
    });
  });

  it("signs again after a turn with nothing to sign, with a key the signers already hold", async () => {
    const { privateKey, publicKey } = rsa();
    const first = await signRs256({ kid: "k" }, { turn: 1 }, privateKey);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await signRs256({ kid: "k" }, { turn: 2 }, privateKey);
    expect([first, second].map((t) => verifies(t, publicKey))).toEqual([true, true]);
    expect(decoded(second, 1)).toEqual({ turn: 2 });
  });

  it.runIf(process.platform === "linux")(
    "signs on threads below the event loop's priority when the process has cores to spare, and leaves the event loop's alone",
    async () => {
      await signRs256({ kid: "n" }, {}, rsa().privateKey);
      // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value.
      const niceOf = (tid: string) => {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
      };
      const threads = readdirSync("/proc/self/task");
      expect(niceOf(String(process.pid))).toBe(0);
      const expected = availableParallelism() > 1 ? 5 : 0; // WEB_CONCURRENCY=1: the machine is its share
      expect(signerNice()).toBe(expected);
      expect(threads.map(niceOf).filter((nice) => nice === 5)).toHaveLength(expected ? 2 : 0); // DCR_SIGNERS=2
    },
  );

  it("keeps a process alive while a signature is out, and lets it exit once idle", () => {
    // A script (as the seed is) whose last pending work is a signature: it must print it, then end by itself.
    const script = `
      const { generateKeyPairSync } = require("node:crypto");
      const { signRs256 } = require("./lib/dcr/sign");
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      signRs256({ kid: "x" }, { done: true }, privateKey).then((t) => console.log(t.split(".").length));`;
    const output = execFileSync(
      process.execPath,
      ["--import", "tsx", "--eval", script, "--input-type=commonjs"],
      {
        cwd: path.resolve(import.meta.dirname, "../.."),
        env: { ...process.env, TSX_TSCONFIG_PATH: "server/tsconfig.json" },
        timeout: 20_000,
        encoding: "utf8",
      },
    );
    expect(output.trim()).toBe("3");
  });
});
