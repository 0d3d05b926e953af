import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { actionRequests } from "@/lib/action-request";
import {
  actionArguments,
  formArgument,
  idArgument,
  MalformedActionRequest,
  previousState,
  serverAction,
} from "@/lib/server-action";
import { filesUnder } from "@/test/harness/source-files";

describe("actionArguments", () => {
  const within = <T>(work: () => T) => {
    const request = { accepted: false };
    let result: T | Error;
    try {
      result = actionRequests().run(request, work);
    } catch (error) {
      result = error as Error;
    }
    return { result, accepted: request.accepted };
  };

  it("returns the arguments it was given when they have the declared types, and marks the request accepted", () => {
    const form = new FormData();
    const { result, accepted } = within(() =>
      actionArguments([idArgument, previousState, formArgument], ["st_1", {}, form]),
    );
    expect(result).toEqual(["st_1", {}, form]);
    expect(accepted).toBe(true);
  });

  it.each([
    ["a string where the form belongs", [{}, "name=x"]],
    ["a plain object where the form belongs", [{}, { name: "x" }]],
    ["nothing where the form belongs", [{}]],
    ["no arguments", []],
  ])("refuses %s as malformed, leaving the request unaccepted", (_what, args) => {
    const { result, accepted } = within(() => actionArguments([previousState, formArgument], args));
    expect(result).toBeInstanceOf(MalformedActionRequest);
    expect(accepted).toBe(false);
  });

  it.each([[{ id: "x" }], [1], [""], ["x".repeat(201)], [null]])("refuses %j as an id", (id) => {
    expect(() => actionArguments([idArgument], [id])).toThrow(MalformedActionRequest);
  });

  it("ignores arguments past the declared ones", () => {
    expect(actionArguments([], [1, 2])).toEqual([1, 2]);
  });
});

describe("serverAction", () => {
  it("calls the handler with the parsed values only, never with what the request decoded to", async () => {
    const seen: unknown[] = [];
    const action = serverAction([z.object({ id: z.string().trim() })], async (input) => {
      seen.push(input);
      return input.id;
    });
    const request = { accepted: false };
    const result = await actionRequests().run(request, () =>
      action({ id: "  st_1 ", extra: "dropped" } as unknown as { id: string }),
    );
    expect(result).toBe("st_1");
    expect(seen).toEqual([{ id: "st_1" }]);
    expect(request.accepted).toBe(true);
  });

  it("refuses arguments that do not parse before the handler runs", async () => {
    let called = false;
    const action = serverAction([idArgument], async () => void (called = true));
    await expect(action({} as unknown as string)).rejects.toBeInstanceOf(MalformedActionRequest);
    expect(called).toBe(false);
  });
});

describe("every server action is made by serverAction (its handler sees only parsed arguments)", () => {
  // Every "use server" module in the app.
  const files = ["app", "lib", "components"].flatMap((dir) =>
    filesUnder(dir, (f) => /\.tsx?$/.test(f) && /^\s*["']use server["']/.test(readFileSync(f, "utf8"))),
  );

  it("finds the app's server action modules", () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
  });

  it.each(files)("%s", (file) => {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const exported = source.statements.filter(
      (s) =>
        ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword),
    );
    const problems: string[] = [];
    for (const statement of exported) {
      if (ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) continue;
      const declarations = ts.isVariableStatement(statement) ? statement.declarationList.declarations : [];
      const made = declarations.every(
        (d) =>
          d.initializer &&
          ts.isCallExpression(d.initializer) &&
          d.initializer.expression.getText() === "serverAction",
      );
      if (!declarations.length || !made)
        problems.push(`exports something not made by serverAction(…): ${statement.getText().slice(0, 60)}`);
    }
    expect(problems).toEqual([]);
  });
});
