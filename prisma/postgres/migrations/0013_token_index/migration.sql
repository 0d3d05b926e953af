-- No query reads access tokens by organization and time (Find looks a token up by its jti, a client's page by
-- its registration), and every token issued paid for this index.

-- DropIndex
DROP INDEX "AccessToken_organizationId_issuedAt_idx";
