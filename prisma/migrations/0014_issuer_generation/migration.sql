-- AlterTable
ALTER TABLE "Organization" ADD COLUMN "issuerGeneration" INTEGER NOT NULL DEFAULT 0;
