-- CreateTable
CREATE TABLE "DcrThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "tokens" REAL NOT NULL,
    "updatedAt" BIGINT NOT NULL,
    "allowed" BOOLEAN NOT NULL
);

-- CreateIndex
CREATE INDEX "DcrThrottle_updatedAt_idx" ON "DcrThrottle"("updatedAt");

