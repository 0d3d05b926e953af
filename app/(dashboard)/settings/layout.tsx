import { SubNav } from "@/components/sub-nav";

export default function SettingsLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
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
