-- A statement's fingerprint becomes its identity (lib/statements/identity.ts): what its issuer signed, or its
-- iss and jti, not the SHA-256 of its text. SQL cannot decode base64url and hash here, and the rule must stay
-- the app's one function: this marks each stored fingerprint as a text hash, which nothing presented matches,
-- and server/statement-identities.ts recomputes them from the stored JWTs in this migration's own transaction
-- (server/pg-migrate.ts runs it after this script).
UPDATE "SoftwareStatement" SET "fingerprint" = 'text-sha256:' || "fingerprint";
