import { PageHeader } from "@/components/page-header";
import { SubNav } from "@/components/sub-nav";

export default function SettingsLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <PageHeader
        title="Settings"
        description="Your organization, its members, the issuers it trusts, API tokens and webhooks."
      />
      <SubNav
        label="Settings sections"
        items={[
          { href: "/settings", label: "General" },
          { href: "/settings/members", label: "Members" },
          { href: "/settings/issuers", label: "Trusted issuers" },
          { href: "/settings/tokens", label: "API tokens" },
          { href: "/settings/webhooks", label: "Webhooks" },
        ]}
      />
      {children}
    </>
  );
}
