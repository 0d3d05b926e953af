import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";

export const metadata: Metadata = { title: "Registrations" };

export default function RegistrationsPage() {
  return (
    <ComingSoon
      title="Registrations"
      description="Every client that registered with one of your statements."
      plans={[
        "List registrations newest first, filtered by statement, application, platform, status and date.",
        "Open one to see its device facts, redirect URI, IP, user agent and the tokens it was issued.",
        "Spot devices that re-register instead of refreshing their token.",
      ]}
    />
  );
}
