import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellQuote, toCurl } from "./curl";

const echo = (word: string) => execFileSync("bash", ["-c", `printf %s ${word}`], { encoding: "utf8" });

describe("shellQuote", () => {
  it.each(["plain", "it's", "'", "''", '$HOME `id` $(id) \\ " ! *', "line\nbreak", ""])(
    "gives bash back exactly %j",
    (value) => expect(echo(shellQuote(value))).toBe(value),
  );
});

describe("toCurl", () => {
  it("quotes the URL, every header and the body", () => {
    const command = toCurl(
      {
        method: "POST",
        path: "/o/client/token",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials&client_id=a&client_secret=it's",
      },
      "http://localhost:3000",
    );
    expect(command).toBe(
      [
        "curl -sS -i -X POST 'http://localhost:3000/o/client/token'",
        "-H 'Content-Type: application/x-www-form-urlencoded'",
        "--data-raw 'grant_type=client_credentials&client_id=a&client_secret=it'\\''s'",
      ].join(" \\\n  "),
    );
  });
});
