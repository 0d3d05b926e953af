/**
 * `npm run audit:deps`: `npm audit --omit=dev`, failing on a high or critical finding that
 * DEPENDENCY_EXCEPTIONS does not explain. Where the registry's advisory endpoint cannot be reached (it answers
 * 405 through the mirror these machines use), it says so and exits 2 — no result is not a clean result — after
 * listing the production dependencies that are behind the newest release of their line, since a patch
 * release is how an advisory gets fixed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Findings that stay, each with why it does not reach this app and what mitigates it (also in docs/security.md). */
const DEPENDENCY_EXCEPTIONS: Record<string, string> = {};

type Audit = {
  vulnerabilities?: Record<
    string,
    { severity: string; via: unknown[]; range: string; fixAvailable: unknown }
  >;
  metadata?: { vulnerabilities: Record<string, number> };
  /** npm's answer when the advisory endpoint failed: the HTTP error it got. */
  message?: string;
};

const audit = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8", timeout: 120_000 });
let report: Audit = {};
try {
  report = JSON.parse(audit.stdout || "{}") as Audit;
} catch {
  report = { message: audit.stdout.slice(0, 200) };
}

if (report.vulnerabilities && report.metadata) {
  const serious = Object.entries(report.vulnerabilities).filter(([, v]) =>
    ["high", "critical"].includes(v.severity),
  );
  console.log(`npm audit --omit=dev: ${JSON.stringify(report.metadata.vulnerabilities)}`);
  const unexplained = serious.filter(([name]) => !DEPENDENCY_EXCEPTIONS[name]);
  for (const [name, v] of serious)
    console.log(
      `  ${v.severity.padEnd(8)} ${name} ${v.range}  ${DEPENDENCY_EXCEPTIONS[name] ?? "NOT EXPLAINED"}`,
    );
  process.exit(unexplained.length ? 1 : 0);
}

console.log(
  `npm audit --omit=dev gave no result: ${report.message ?? audit.stderr.trim().split("\n").at(-1)}`,
);
console.log("Production dependencies behind the newest release of their line:");
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { dependencies: Record<string, string> };
let behind = 0;
for (const name of Object.keys(pkg.dependencies)) {
  const installed = (
    JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")) as { version: string }
  ).version;
  const versions = JSON.parse(
    execFileSync("npm", ["view", name, "versions", "--json"], { encoding: "utf8", timeout: 60_000 }),
  ) as string[];
  // The same line: the same major (and, for a prerelease line like next-auth 5 beta, the same prerelease tag).
  const [major, pre] = [installed.split(".")[0], installed.split("-")[1]?.split(".")[0]];
  const line = versions.filter((v) => v.split(".")[0] === major && v.split("-")[1]?.split(".")[0] === pre);
  const newest = line.at(-1);
  if (newest && newest !== installed) {
    behind++;
    console.log(`  ${name} ${installed} → ${newest}`);
  }
}
if (!behind) console.log("  none");
process.exit(2);
