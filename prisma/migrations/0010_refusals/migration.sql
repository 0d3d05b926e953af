-- Refusals (support finds an error answer by its request id) and statements findable by their jti claim.
-- AlterTable
ALTER TABLE "SoftwareStatement" ADD COLUMN "jti" TEXT;
ALTER TABLE "SoftwareStatement" ADD COLUMN "expiresAt" DATETIME;

-- CreateTable
CREATE TABLE "Refusal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL,
    "requestId" TEXT,
    "endpoint" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "description" TEXT,
    "organizationId" TEXT,
    "applicationId" TEXT,
    "statementId" TEXT,
    "clientId" TEXT,
    "ip" TEXT,
    "userAgent" TEXT
);

-- CreateIndex
CREATE INDEX "Refusal_requestId_idx" ON "Refusal"("requestId");

-- CreateIndex
CREATE INDEX "Refusal_at_idx" ON "Refusal"("at");

-- CreateIndex
CREATE INDEX "Refusal_statementId_at_idx" ON "Refusal"("statementId", "at" DESC);

-- CreateIndex
CREATE INDEX "Refusal_clientId_at_idx" ON "Refusal"("clientId", "at" DESC);

-- CreateIndex
CREATE INDEX "Refusal_organizationId_at_idx" ON "Refusal"("organizationId", "at" DESC);

-- CreateIndex
CREATE INDEX "SoftwareStatement_jti_idx" ON "SoftwareStatement"("jti");

-- CreateIndex
CREATE INDEX "SoftwareStatement_softwareId_idx" ON "SoftwareStatement"("softwareId");


-- Statements stored before this migration: their jti from the claims they were stored with.
UPDATE "SoftwareStatement" SET "jti" = json_extract("claims", '$.jti')
WHERE json_valid("claims") AND json_type("claims", '$.jti') = 'text';
UPDATE "SoftwareStatement"
SET "expiresAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', json_extract("claims", '$.exp'), 'unixepoch')
WHERE json_valid("claims") AND json_type("claims", '$.exp') IN ('integer', 'real');
