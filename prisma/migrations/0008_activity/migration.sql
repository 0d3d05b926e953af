-- CreateTable
CREATE TABLE "ActivityRollup" (
    "statementId" TEXT NOT NULL,
    "bucket" DATETIME NOT NULL,
    "shard" INTEGER NOT NULL DEFAULT 0,
    "organizationId" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "registrations" INTEGER NOT NULL DEFAULT 0,
    "newDevices" INTEGER NOT NULL DEFAULT 0,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "revokedAtRegister" INTEGER NOT NULL DEFAULT 0,
    "revokedAtToken" INTEGER NOT NULL DEFAULT 0,
    "badSecret" INTEGER NOT NULL DEFAULT 0,
    "throttled" INTEGER NOT NULL DEFAULT 0,
    "invalidStatement" INTEGER NOT NULL DEFAULT 0,
    "lastRefusalAt" DATETIME,

    PRIMARY KEY ("statementId", "bucket", "shard"),
    CONSTRAINT "ActivityRollup_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SoftwareStatement" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DeviceSighting" (
    "statementId" TEXT NOT NULL,
    "deviceHash" TEXT NOT NULL,
    "registrations" INTEGER NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,

    PRIMARY KEY ("statementId", "deviceHash"),
    CONSTRAINT "DeviceSighting_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SoftwareStatement" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ActivityRollup_organizationId_bucket_idx" ON "ActivityRollup"("organizationId", "bucket");

-- CreateIndex
CREATE INDEX "ActivityRollup_applicationId_bucket_idx" ON "ActivityRollup"("applicationId", "bucket");

-- CreateIndex
CREATE INDEX "ActivityRollup_bucket_organizationId_idx" ON "ActivityRollup"("bucket", "organizationId");

