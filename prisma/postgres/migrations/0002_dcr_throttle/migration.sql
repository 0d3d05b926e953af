-- CreateTable
CREATE TABLE "DcrThrottle" (
    "key" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "updatedAt" BIGINT NOT NULL,
    "allowed" BOOLEAN NOT NULL,

    CONSTRAINT "DcrThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "DcrThrottle_updatedAt_idx" ON "DcrThrottle"("updatedAt");

