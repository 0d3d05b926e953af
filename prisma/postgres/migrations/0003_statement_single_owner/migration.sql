-- A statement is held by exactly one organization (registration must resolve exactly one row). Earlier
-- versions let a second organization upload a statement another already held: the first holder keeps it.
-- Every later copy keeps its registrations, whose clients still get tokens, but its fingerprint is marked so
-- that no new registration can reach it; a support representative can move the statement where it belongs.
UPDATE "SoftwareStatement" SET "fingerprint" = "fingerprint" || ':duplicate:' || "id"
WHERE EXISTS (
  SELECT 1 FROM "SoftwareStatement" AS "first"
  WHERE "first"."fingerprint" = "SoftwareStatement"."fingerprint"
    AND ("first"."createdAt" < "SoftwareStatement"."createdAt"
      OR ("first"."createdAt" = "SoftwareStatement"."createdAt" AND "first"."id" < "SoftwareStatement"."id"))
);

-- DropIndex
DROP INDEX "SoftwareStatement_fingerprint_idx";

-- DropIndex
DROP INDEX "SoftwareStatement_organizationId_fingerprint_key";

-- CreateIndex
CREATE UNIQUE INDEX "SoftwareStatement_fingerprint_key" ON "SoftwareStatement"("fingerprint");
