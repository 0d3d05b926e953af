import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { DEVICE_PROFILES } from "@/lib/dcr/device-profiles";
import { statementChoices } from "@/lib/statements/service";
import { scopedPage } from "../scoped-page";
import { Simulator } from "./simulator";

export const metadata: Metadata = { title: "Simulator" };

type Props = { searchParams: Promise<{ statement?: string | string[] }> };

export default async function SimulatorPage({ searchParams }: Props) {
  const { statement } = await searchParams;
  return scopedPage(async (scope) => {
    const statements = await statementChoices(scope);
    const requested = statements.find((s) => s.id === statement);
    const initial = requested ?? statements.find((s) => s.status === "active") ?? statements[0];
    return (
      <>
        <PageHeader
          title="Simulator"
          description="Play a client application against this server's real registration, token and API endpoints, with one of your statements and a device profile. Every exchange is shown, with a curl to repeat it."
        />
        <Simulator
          statements={statements}
          profiles={DEVICE_PROFILES}
          serviceProvider={scope.org.slug}
          canWrite={scope.canWrite}
          initialStatementId={initial?.id ?? ""}
        />
      </>
    );
  });
}
