import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state";
import { Card, CardHeader } from "@/components/ui/card";
import { listTrustedIssuers } from "@/lib/issuers/service";
import { scopedPage } from "../../scoped-page";
import { IssuerForm } from "./issuer-form";
import { RemoveIssuerButton } from "./remove-issuer-button";
import { Time } from "@/components/time";

export const metadata: Metadata = { title: "Trusted issuers" };

export default async function IssuersPage() {
  return scopedPage(async (scope) => {
    const issuers = await listTrustedIssuers(scope);
    return (
      <>
        <Card>
          <CardHeader
            title="Trusted issuers"
            description="Statements signed by these issuers can be uploaded. Statements this console signs are always trusted."
          />
          {issuers.length === 0 ? (
            <div className="p-5">
              <EmptyState title="No trusted issuers">
                Add one to upload statements another issuer signed.
              </EmptyState>
            </div>
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {issuers.map((i) => (
                <li
                  key={i.id}
                  className="flex flex-wrap items-center justify-between gap-3 px-5 py-3 text-sm"
                >
                  <div>
                    <p className="font-medium">{i.iss}</p>
                    <p className="text-xs text-zinc-500">
                      {i.keyKind === "jwks" ? `JWKS: ${i.kids.join(", ")}` : "PEM public key"} · added{" "}
                      <Time date={i.createdAt} />
                      {i.createdByEmail && ` by ${i.createdByEmail}`}
                    </p>
                  </div>
                  {scope.canWrite && <RemoveIssuerButton id={i.id} iss={i.iss} />}
                </li>
              ))}
            </ul>
          )}
        </Card>
        {scope.canWrite && (
          <Card className="mt-6">
            <CardHeader
              title="Add an issuer"
              description="Paste its public keys: a JWKS, or one PEM public key."
            />
            <IssuerForm />
          </Card>
        )}
      </>
    );
  });
}
