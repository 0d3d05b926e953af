import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * All configuration, read once and validated. Every variable has a default so that `npm start` works with no
 * `.env` at all; `.env.example` documents each one.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, "must be file:<path> (SQLite) or postgresql://… (PostgreSQL)")
    .refine(
      (url) => databaseProvider(url) === "sqlite" || URL.canParse(url),
      "is not a valid postgresql:// URL",
    )
    .optional(),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: z.url("must be an absolute URL such as https://console.example.com").optional(),
  SEED_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  DCR_THROTTLE: z.enum(["on", "off"]).default("on"),
  DCR_THROTTLE_RATE: z.coerce.number().positive().default(1),
  DCR_THROTTLE_BURST: z.coerce.number().int().min(1).default(10),
  // Connections each process's hot path keeps to PostgreSQL (beside Prisma's own pool).
  DCR_PG_POOL: z.coerce.number().int().min(1).max(100).default(10),
  // Threads each process signs access tokens on (lib/dcr/sign.ts); default: its share of the cores.
  DCR_SIGNERS: z.coerce.number().int().min(1).max(64).optional(),
  // Days the client endpoints' error answers are kept for support to find by request id (the Refusal table).
  REFUSAL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // Processes serving the app on this machine (node:cluster workers sharing the port); 1 = no cluster.
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  // Webhook hosts and addresses allowed although private or loopback (lib/webhooks/address.ts): comma-separated
  // hostnames and IP addresses or CIDR ranges. Empty: webhooks reach public addresses only.
  WEBHOOK_ALLOWED_HOSTS: z.string().max(4096).default(""),
  // A PEM file of extra certificate authorities webhook deliveries trust (a private CA, or tests' receiver).
  WEBHOOK_CA_FILE: z.string().min(1).optional(),
  TRUST_PROXY: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
});

export type DatabaseProvider = "sqlite" | "postgresql";

/** Which database a DATABASE_URL names: `file:…` is SQLite, `postgresql://…` or `postgres://…` PostgreSQL. */
export function databaseProvider(url: string): DatabaseProvider {
  return /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";
}

export type Env = z.infer<typeof schema> & { DATABASE_URL: string; AUTH_SECRET: string; PUBLIC_URL: string };

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    ...env,
    DATABASE_URL: env.DATABASE_URL ?? `file:${path.join(dataDir, "app.db")}`,
    AUTH_SECRET: env.AUTH_SECRET ?? persistedSecret(dataDir),
    // The issuer name in every statement and token this service signs: stable, whatever Host a request used.
    PUBLIC_URL: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ""),
  };
}

/** The session-signing secret generated on first start, kept (mode 0600) in the data directory. */
function persistedSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  } catch (e) {
    // Another process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw e;
  }
  chmodSync(file, 0o600);
  return secret;
}

export const env: Env = load();
