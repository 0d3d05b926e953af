import type { Metadata } from "next";
import { Card, CardHeader } from "@/components/ui/card";
import { listMembers } from "@/lib/members/service";
import { scopedPage } from "../../scoped-page";
import { AddMemberForm } from "./add-member-form";
import { MemberRow } from "./member-row";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  return scopedPage(async (scope) => {
    const members = await listMembers(scope);
    return (
      <>
        <Card>
          <CardHeader
            title="Members"
            description="Admins change everything in this organization; viewers can only look. The last admin cannot be demoted or disabled."
          />
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {members.map((m) => (
              <MemberRow key={m.id} member={m} canWrite={scope.canWrite} />
            ))}
          </ul>
        </Card>
        {scope.canWrite && (
          <Card className="mt-6">
            <CardHeader
              title="Add a member"
              description="A new account gets a temporary password, shown once. An existing account just joins."
            />
            <AddMemberForm />
          </Card>
        )}
      </>
    );
  });
}
