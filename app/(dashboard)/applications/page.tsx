import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";

export const metadata: Metadata = { title: "Applications" };

export default function ApplicationsPage() {
  return (
    <ComingSoon
      title="Applications"
      description="The client applications (TV apps, set-top boxes) your organization ships."
      plans={[
        "Register an application with its name, version, platforms, domains, channel and scopes.",
        "Download a freshly signed software statement for it.",
        "See each application's statements and the clients they registered.",
      ]}
    />
  );
}
