import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state";
import { formatDateTime } from "@/components/format";
import { Card, CardHeader } from "@/components/ui/card";
import { listTokens } from "@/lib/tokens/service";
import { scopedPage } from "../../scoped-page";
import { CreateTokenForm } from "./create-token-form";
import { RevokeTokenButton } from "./revoke-token-button";

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
                        {t.userEmail} · created {formatDateTime(t.createdAt)} ·{" "}
                        {t.expiresAt ? `expires ${formatDateTime(t.expiresAt)}` : "no expiry"} ·{" "}
                        {t.lastUsedAt ? `last used ${formatDateTime(t.lastUsedAt)}` : "never used"}
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
          <CardHeader title="Create a token" description="It acts as you, in this organization only." />
          <CreateTokenForm orgName={scope.org.name} />
        </Card>
      </>
    );
  });
}
