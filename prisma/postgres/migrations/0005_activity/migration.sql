-- CreateTable
CREATE TABLE "ActivityRollup" (
    "statementId" TEXT NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
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
    "lastRefusalAt" TIMESTAMP(3),

    CONSTRAINT "ActivityRollup_pkey" PRIMARY KEY ("statementId","bucket","shard")
);

-- CreateTable
CREATE TABLE "DeviceSighting" (
    "statementId" TEXT NOT NULL,
    "deviceHash" TEXT NOT NULL,
    "registrations" INTEGER NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DeviceSighting_pkey" PRIMARY KEY ("statementId","deviceHash")
);

-- CreateIndex
CREATE INDEX "ActivityRollup_organizationId_bucket_idx" ON "ActivityRollup"("organizationId", "bucket");

-- CreateIndex
CREATE INDEX "ActivityRollup_applicationId_bucket_idx" ON "ActivityRollup"("applicationId", "bucket");

-- CreateIndex
CREATE INDEX "ActivityRollup_bucket_organizationId_idx" ON "ActivityRollup"("bucket", "organizationId");

-- AddForeignKey
ALTER TABLE "ActivityRollup" ADD CONSTRAINT "ActivityRollup_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SoftwareStatement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeviceSighting" ADD CONSTRAINT "DeviceSighting_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SoftwareStatement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

