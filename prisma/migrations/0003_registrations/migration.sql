-- CreateTable
CREATE TABLE "ClientRegistration" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "statementId" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "deviceInfo" TEXT,
    "platform" TEXT,
    "deviceModel" TEXT,
    "redirectUri" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "simulated" BOOLEAN NOT NULL DEFAULT false,
    "tokenLifetimeOverride" INTEGER,
    "tokenCount" INTEGER NOT NULL DEFAULT 0,
    "lastTokenAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ClientRegistration_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ClientRegistration_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SoftwareStatement" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ClientRegistration_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AccessToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "jti" TEXT NOT NULL,
    "registrationId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "issuedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "AccessToken_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "ClientRegistration" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Organization" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "tokenLifetimeSeconds" INTEGER NOT NULL DEFAULT 21600
);
INSERT INTO "new_Organization" ("createdAt", "id", "name", "slug", "updatedAt") SELECT "createdAt", "id", "name", "slug", "updatedAt" FROM "Organization";
DROP TABLE "Organization";
ALTER TABLE "new_Organization" RENAME TO "Organization";
CREATE UNIQUE INDEX "Organization_slug_key" ON "Organization"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ClientRegistration_clientId_key" ON "ClientRegistration"("clientId");

-- CreateIndex
CREATE INDEX "ClientRegistration_organizationId_createdAt_id_idx" ON "ClientRegistration"("organizationId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "ClientRegistration_statementId_createdAt_id_idx" ON "ClientRegistration"("statementId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "ClientRegistration_applicationId_createdAt_id_idx" ON "ClientRegistration"("applicationId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "ClientRegistration_organizationId_platform_createdAt_id_idx" ON "ClientRegistration"("organizationId", "platform", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "ClientRegistration_organizationId_simulated_createdAt_id_idx" ON "ClientRegistration"("organizationId", "simulated", "createdAt" DESC, "id");

-- CreateIndex
CREATE UNIQUE INDEX "AccessToken_jti_key" ON "AccessToken"("jti");

-- CreateIndex
CREATE INDEX "AccessToken_registrationId_issuedAt_idx" ON "AccessToken"("registrationId", "issuedAt" DESC);

-- CreateIndex
CREATE INDEX "AccessToken_organizationId_issuedAt_idx" ON "AccessToken"("organizationId", "issuedAt");

