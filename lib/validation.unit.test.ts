import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ValidationError } from "@/lib/errors";
import { applicationInputSchema } from "@/lib/applications/schema";
import { optionalDate, parseInput } from "./validation";

function fieldErrors(schema: z.ZodType, input: unknown) {
  try {
    parseInput(schema, input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return { message: (error as ValidationError).message, fields: (error as ValidationError).fieldErrors };
  }
  throw new Error("expected a ValidationError");
}

describe("parseInput", () => {
  it("says what is missing or wrong as a person would, never zod's own text", () => {
    const { fields } = fieldErrors(applicationInputSchema, { platforms: "tvOS", domains: 3 });
    expect(fields.name).toEqual(["Give a name."]);
    expect(fields.platforms).toEqual(["Give the platforms as a list."]);
    expect(JSON.stringify(fields)).not.toMatch(/Invalid input|expected|received/);
  });

  it("keeps the schema's own messages", () => {
    const { fields } = fieldErrors(applicationInputSchema, { name: " ", platforms: [], domains: ["a.test"] });
    expect(fields.name).toEqual(["Give the application a name."]);
    expect(fields.platforms).toEqual(["Choose at least one platform."]);
  });

  it("names the form's problem when the input is not an object at all", () => {
    expect(fieldErrors(applicationInputSchema, "name=x").message).toBe("Send the fields as a JSON object.");
  });

  it("words lengths, choices and emails", () => {
    const schema = z.object({
      displayName: z.string().max(3),
      role: z.enum(["ADMIN", "VIEWER"]),
      email: z.email(),
      applicationId: z.string(),
    });
    const { fields } = fieldErrors(schema, { displayName: "abcd", role: "OWNER", email: "x" });
    expect(fields).toEqual({
      displayName: ["Use at most 3 characters for the display name."],
      role: ["Choose the role from: ADMIN, VIEWER."],
      email: ["Give a valid email address."],
      applicationId: ["Give an application id."],
    });
  });
});

describe("optionalDate", () => {
  const schema = z.object({ since: optionalDate({ endOfDay: false }) });
  it("refuses dates the databases cannot take (they were 500s), naming the field", () => {
    for (const since of ["0000-01-01", "+275760-09-13", "+100000-01-01", "1999-12-31"])
      expect(fieldErrors(schema, { since }).fields.since, since).toEqual([
        "Use a date from 2000-01-01 to 2100-01-01.",
      ]);
  });
  it("takes the dates people use", () => {
    expect(parseInput(schema, { since: "2026-11-27" }).since).toEqual(new Date("2026-11-27T00:00:00Z"));
  });
});
