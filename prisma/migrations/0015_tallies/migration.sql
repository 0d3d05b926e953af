-- Registrations per statement and tokens per client move from one column each (a row that every registration
-- of a statement, or every token of a client, updated) to rows in shards that are summed when read.

-- CreateTable
CREATE TABLE "StatementTally" (
    "statementId" TEXT NOT NULL,
    "shard" INTEGER NOT NULL,
    "registrations" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("statementId", "shard"),
    CONSTRAINT "StatementTally_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SoftwareStatement" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ClientTally" (
    "registrationId" TEXT NOT NULL,
    "shard" INTEGER NOT NULL,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "lastTokenAt" DATETIME NOT NULL,

    PRIMARY KEY ("registrationId", "shard"),
    CONSTRAINT "ClientTally_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "ClientRegistration" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- The counts so far become shard 0.
INSERT INTO "StatementTally" ("statementId", "shard", "registrations")
SELECT "id", 0, "registrationCount" FROM "SoftwareStatement" WHERE "registrationCount" > 0;

INSERT INTO "ClientTally" ("registrationId", "shard", "tokens", "lastTokenAt")
SELECT "id", 0, "tokenCount", "lastTokenAt" FROM "ClientRegistration" WHERE "lastTokenAt" IS NOT NULL;

-- AlterTable
ALTER TABLE "SoftwareStatement" DROP COLUMN "registrationCount";

-- AlterTable
ALTER TABLE "ClientRegistration" DROP COLUMN "tokenCount";
ALTER TABLE "ClientRegistration" DROP COLUMN "lastTokenAt";
