import { PageHeader } from "@/components/page-header";
import { SubNav } from "@/components/sub-nav";

export default function SettingsLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <PageHeader title="Settings" description="Your organization, its members and the issuers it trusts." />
      <SubNav
        label="Settings sections"
        items={[
          { href: "/settings", label: "General" },
          { href: "/settings/issuers", label: "Trusted issuers" },
        ]}
      />
      {children}
    </>
  );
}
