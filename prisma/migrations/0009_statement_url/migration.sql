-- AlterTable
ALTER TABLE "Application" ADD COLUMN "statementUrl" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "ActivityRollup" ADD COLUMN "statementFetches" INTEGER NOT NULL DEFAULT 0;
