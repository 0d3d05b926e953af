import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state";
import { Card, CardHeader } from "@/components/ui/card";
import { listTokens } from "@/lib/tokens/service";
import { scopedPage } from "../../scoped-page";
import { CreateTokenForm } from "./create-token-form";
import { RevokeTokenButton } from "./revoke-token-button";
import { Time } from "@/components/time";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  return scopedPage(async (scope) => {
    const tokens = await listTokens(scope);
    const now = new Date();
    return (
      <>
        <Card>
          <CardHeader
            title="Personal access tokens"
            description={`For the admin API (Authorization: Bearer …), scoped to ${scope.org.name}. Only a hash is kept.`}
          />
          {tokens.length === 0 ? (
            <div className="p-5">
              <EmptyState title="No tokens">Create one for a script or a pipeline.</EmptyState>
            </div>
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {tokens.map((t) => {
                const expired = t.expiresAt !== null && t.expiresAt <= now;
                return (
                  <li
                    key={t.id}
                    data-testid={`token-${t.name}`}
                    className="flex flex-wrap items-center justify-between gap-3 px-5 py-3 text-sm"
                  >
                    <div>
                      <p className="font-medium">
                        {t.name} <code className="ml-1 font-mono text-xs text-zinc-500">{t.prefix}…</code>
                        <span className="ml-2 rounded bg-zinc-100 px-2 py-0.5 text-xs dark:bg-zinc-800">
                          {t.access === "READ" ? "Read-only" : "Read-write"}
                        </span>
                        {t.revokedAt && <span className="ml-2 text-xs text-red-600">revoked</span>}
                        {!t.revokedAt && expired && (
                          <span className="ml-2 text-xs text-red-600">expired</span>
                        )}
                      </p>
                      <p className="text-xs text-zinc-500">
                        {t.userEmail} · created <Time date={t.createdAt} /> ·{" "}
                        {t.expiresAt ? (
                          <>
                            expires <Time date={t.expiresAt} />
                          </>
                        ) : (
                          "no expiry"
                        )}{" "}
                        ·{" "}
                        {t.lastUsedAt ? (
                          <>
                            last used <Time date={t.lastUsedAt} />
                          </>
                        ) : (
                          "never used"
                        )}
                      </p>
                    </div>
                    {!t.revokedAt && <RevokeTokenButton id={t.id} name={t.name} />}
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        <Card className="mt-6">
          <CardHeader
            title="Create a token"
            description={
              scope.canWrite
                ? "It acts as you, in this organization only."
                : "It acts as you, in this organization only, and can only read: you are a viewer here."
            }
          />
          <CreateTokenForm orgName={scope.org.name} readOnly={!scope.canWrite} />
        </Card>
      </>
    );
  });
}
