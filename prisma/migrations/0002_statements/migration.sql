-- CreateTable
CREATE TABLE "Application" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "platforms" TEXT NOT NULL,
    "domains" TEXT NOT NULL,
    "channel" TEXT,
    "scopes" TEXT NOT NULL,
    "createdById" TEXT,
    "createdByEmail" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Application_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SoftwareStatement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "jwt" TEXT NOT NULL,
    "header" TEXT NOT NULL,
    "claims" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "subject" TEXT,
    "softwareId" TEXT,
    "kid" TEXT,
    "algorithm" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "registrationCount" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdByEmail" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    "revokedById" TEXT,
    "revokedByEmail" TEXT,
    "revokedReason" TEXT,
    CONSTRAINT "SoftwareStatement_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SoftwareStatement_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SigningKey" (
    "kid" TEXT NOT NULL PRIMARY KEY,
    "algorithm" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "privateKeyEnc" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" DATETIME
);

-- CreateTable
CREATE TABLE "TrustedIssuer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "iss" TEXT NOT NULL,
    "jwks" TEXT,
    "pem" TEXT,
    "createdById" TEXT,
    "createdByEmail" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TrustedIssuer_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Application_organizationId_createdAt_id_idx" ON "Application"("organizationId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "SoftwareStatement_fingerprint_idx" ON "SoftwareStatement"("fingerprint");

-- CreateIndex
CREATE INDEX "SoftwareStatement_organizationId_createdAt_id_idx" ON "SoftwareStatement"("organizationId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "SoftwareStatement_organizationId_status_createdAt_id_idx" ON "SoftwareStatement"("organizationId", "status", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "SoftwareStatement_applicationId_createdAt_id_idx" ON "SoftwareStatement"("applicationId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "SoftwareStatement_organizationId_issuer_idx" ON "SoftwareStatement"("organizationId", "issuer");

-- CreateIndex
CREATE INDEX "SoftwareStatement_organizationId_subject_idx" ON "SoftwareStatement"("organizationId", "subject");

-- CreateIndex
CREATE UNIQUE INDEX "SoftwareStatement_organizationId_fingerprint_key" ON "SoftwareStatement"("organizationId", "fingerprint");

-- CreateIndex
CREATE INDEX "SigningKey_status_createdAt_idx" ON "SigningKey"("status", "createdAt");

-- CreateIndex
CREATE INDEX "TrustedIssuer_iss_idx" ON "TrustedIssuer"("iss");

-- CreateIndex
CREATE UNIQUE INDEX "TrustedIssuer_organizationId_iss_key" ON "TrustedIssuer"("organizationId", "iss");

