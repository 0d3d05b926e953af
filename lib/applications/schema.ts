import { z } from "zod";

export const PLATFORMS = [
  "iOS",
  "tvOS",
  "Android",
  "FireTV",
  "Roku",
  "Web",
  "Xbox",
  "PlayStation",
  "Samsung Tizen",
  "LG webOS",
  "Vizio",
  "Chromecast",
  "Other",
] as const;
export type Platform = (typeof PLATFORMS)[number];

export const DEFAULT_SCOPES = ["api:client:v2"];

const HOSTNAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** A list given as an array, or as text with one item per line or comma: what forms and the API both send. */
const list = (item: z.ZodString, max: number, label: string) =>
  z
    .union([z.array(z.string()), z.string()])
    .transform((v) => (Array.isArray(v) ? v : v.split(/[\n,]/)).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item).max(max, `Use at most ${max} ${label}.`))
    .transform((items) => [...new Set(items)]);

export const applicationInputSchema = z.object({
  name: z.string().trim().min(1, "Give the application a name.").max(100, "Use at most 100 characters."),
  version: z
    .string()
    .trim()
    .max(32)
    .regex(/^[0-9A-Za-z][0-9A-Za-z.+-]*$/, "Use a version such as 1.0.0.")
    .default("1.0.0")
    .or(z.literal("").transform(() => "1.0.0")),
  platforms: z
    .array(z.enum(PLATFORMS, { message: `Choose platforms from the list: ${PLATFORMS.join(", ")}.` }))
    .min(1, "Choose at least one platform.")
    .transform((items) => [...new Set(items)]),
  domains: list(
    z
      .string()
      .toLowerCase()
      .max(253)
      .regex(HOSTNAME, "Domains are host names such as tv.example.com or *.example.com."),
    50,
    "domains",
  ).pipe(z.array(z.string()).min(1, "Add at least one domain: redirect URIs are checked against them.")),
  channel: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || null),
  scopes: list(
    z.string().regex(/^[\w:.\-/]{1,64}$/, "Scopes are short tokens such as api:client:v2."),
    20,
    "scopes",
  )
    .optional()
    .transform((v) => (v && v.length ? v : DEFAULT_SCOPES)),
});

export type ApplicationInput = z.input<typeof applicationInputSchema>;
