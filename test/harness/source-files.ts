import { readdirSync } from "node:fs";
import path from "node:path";

/** Every file under `dir` (its path from the project root) that `keep` accepts: how tests derive lists from the code. */
export function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => path.join(dir, name))
    .filter(keep)
    .sort();
}
