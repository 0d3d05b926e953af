import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { actionRequests } from "@/lib/action-request";
import {
  actionArguments,
  formArgument,
  idArgument,
  MalformedActionRequest,
  previousState,
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

describe("every server action checks its arguments before anything else", () => {
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
      if (!ts.isFunctionDeclaration(statement) || !statement.body) {
        problems.push(
          `exports something other than a function declaration: ${statement.getText().slice(0, 60)}`,
        );
        continue;
      }
      const first = statement.body.statements[0];
      const name = statement.name?.text ?? "default";
      const callsGuard = (node: ts.Node | undefined): boolean =>
        !!node &&
        ((ts.isCallExpression(node) && node.expression.getText() === "actionArguments") ||
          ts.forEachChild(node, (child) => (callsGuard(child) ? true : undefined)) === true);
      const isGuard =
        first &&
        ((ts.isExpressionStatement(first) && callsGuard(first.expression)) ||
          (ts.isVariableStatement(first) &&
            first.declarationList.declarations.length === 1 &&
            callsGuard(first.declarationList.declarations[0]!.initializer)));
      if (!isGuard) problems.push(`${name} does not start with actionArguments(…)`);
    }
    expect(problems).toEqual([]);
  });
});
