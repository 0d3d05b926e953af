-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "GlobalRole" AS ENUM ('USER', 'REP');

-- CreateEnum
CREATE TYPE "OrgRole" AS ENUM ('ADMIN', 'VIEWER');

-- CreateEnum
CREATE TYPE "StatementOrigin" AS ENUM ('GENERATED', 'UPLOADED');

-- CreateEnum
CREATE TYPE "StatementStatus" AS ENUM ('ACTIVE', 'REVOKED');

-- CreateEnum
CREATE TYPE "SigningKeyStatus" AS ENUM ('ACTIVE', 'RETIRED');

-- CreateEnum
CREATE TYPE "TokenAccess" AS ENUM ('READ', 'WRITE');

-- CreateTable
CREATE TABLE "Organization" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "tokenLifetimeSeconds" INTEGER NOT NULL DEFAULT 21600,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "GlobalRole" NOT NULL DEFAULT 'USER',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "role" "OrgRole" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMP(3),

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "chain" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "organizationId" TEXT,
    "actorUserId" TEXT,
    "actorEmail" TEXT,
    "actorRole" TEXT,
    "actingFor" BOOLEAN NOT NULL DEFAULT false,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "before" TEXT,
    "after" TEXT,
    "requestId" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimiterFlexible" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "expire" TIMESTAMP(3),

    CONSTRAINT "RateLimiterFlexible_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Application" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "platforms" TEXT NOT NULL,
    "domains" TEXT NOT NULL,
    "channel" TEXT,
    "scopes" TEXT NOT NULL,
    "createdById" TEXT,
    "createdByEmail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SoftwareStatement" (
    "id" TEXT NOT NULL,
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
    "origin" "StatementOrigin" NOT NULL,
    "status" "StatementStatus" NOT NULL DEFAULT 'ACTIVE',
    "registrationCount" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdByEmail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,
    "revokedByEmail" TEXT,
    "revokedReason" TEXT,

    CONSTRAINT "SoftwareStatement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SigningKey" (
    "kid" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "privateKeyEnc" TEXT NOT NULL,
    "status" "SigningKeyStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "SigningKey_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "TrustedIssuer" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "iss" TEXT NOT NULL,
    "jwks" TEXT,
    "pem" TEXT,
    "createdById" TEXT,
    "createdByEmail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrustedIssuer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClientRegistration" (
    "id" TEXT NOT NULL,
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
    "lastTokenAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClientRegistration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessToken" (
    "id" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "registrationId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AccessToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PersonalAccessToken" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "access" "TokenAccess" NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PersonalAccessToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Organization_slug_key" ON "Organization"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Membership_organizationId_role_idx" ON "Membership"("organizationId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_userId_organizationId_key" ON "Membership"("userId", "organizationId");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_createdAt_id_idx" ON "AuditEvent"("organizationId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_action_createdAt_idx" ON "AuditEvent"("organizationId", "action", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_targetId_idx" ON "AuditEvent"("organizationId", "targetId");

-- CreateIndex
CREATE INDEX "AuditEvent_actorUserId_createdAt_idx" ON "AuditEvent"("actorUserId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_chain_seq_key" ON "AuditEvent"("chain", "seq");

-- CreateIndex
CREATE INDEX "RateLimiterFlexible_expire_idx" ON "RateLimiterFlexible"("expire");

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

-- CreateIndex
CREATE UNIQUE INDEX "PersonalAccessToken_tokenHash_key" ON "PersonalAccessToken"("tokenHash");

-- CreateIndex
CREATE INDEX "PersonalAccessToken_organizationId_createdAt_idx" ON "PersonalAccessToken"("organizationId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "PersonalAccessToken_userId_createdAt_idx" ON "PersonalAccessToken"("userId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SoftwareStatement" ADD CONSTRAINT "SoftwareStatement_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SoftwareStatement" ADD CONSTRAINT "SoftwareStatement_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrustedIssuer" ADD CONSTRAINT "TrustedIssuer_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientRegistration" ADD CONSTRAINT "ClientRegistration_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientRegistration" ADD CONSTRAINT "ClientRegistration_statementId_fkey" FOREIGN KEY ("statementId") REFERENCES "SoftwareStatement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientRegistration" ADD CONSTRAINT "ClientRegistration_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessToken" ADD CONSTRAINT "AccessToken_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "ClientRegistration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonalAccessToken" ADD CONSTRAINT "PersonalAccessToken_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonalAccessToken" ADD CONSTRAINT "PersonalAccessToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;



-- Audit events are append-only: the database itself refuses to change or remove one (as SQLite's triggers do).
CREATE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent"
FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();
CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent"
FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();
