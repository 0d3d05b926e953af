import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";

export const metadata: Metadata = { title: "Simulator" };

export default function SimulatorPage() {
  return (
    <ComingSoon
      title="Simulator"
      description="Play a client application against the real registration and token endpoints."
      plans={[
        "Register with one of your statements and a device profile, get a token, call the API, refresh.",
        "Play the lost-credentials, token-expiry and revoked-statement scenarios.",
        "Copy any step as a curl command.",
      ]}
    />
  );
}
