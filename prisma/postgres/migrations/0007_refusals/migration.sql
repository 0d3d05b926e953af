-- Refusals (support finds an error answer by its request id) and statements findable by their jti claim.
-- AlterTable
ALTER TABLE "SoftwareStatement" ADD COLUMN     "jti" TEXT,
ADD COLUMN     "expiresAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Refusal" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
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
    "userAgent" TEXT,

    CONSTRAINT "Refusal_pkey" PRIMARY KEY ("id")
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
UPDATE "SoftwareStatement" SET "jti" = "claims"::jsonb ->> 'jti'
WHERE jsonb_typeof("claims"::jsonb -> 'jti') = 'string';
UPDATE "SoftwareStatement"
SET "expiresAt" = to_timestamp(("claims"::jsonb ->> 'exp')::double precision) AT TIME ZONE 'UTC'
WHERE jsonb_typeof("claims"::jsonb -> 'exp') = 'number';
