import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";

export const metadata: Metadata = { title: "Statements" };

export default function StatementsPage() {
  return (
    <ComingSoon
      title="Statements"
      description="The software statements your applications present when they register."
      plans={[
        "Upload a statement another issuer signed, verified before it is stored.",
        "Filter by status and application, search by fingerprint, issuer or subject.",
        "Revoke a statement, knowing exactly how many registered clients it cuts off.",
      ]}
    />
  );
}
