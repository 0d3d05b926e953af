import type { GlobalRole } from "@/lib/generated/prisma/enums";

declare module "next-auth" {
  interface User {
    role: GlobalRole;
    sessionVersion: number;
  }
  interface Session {
    sessionVersion: number;
    user: { id: string; role: GlobalRole; email: string; name: string };
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    uid: string;
    role: GlobalRole;
    sv: number;
  }
}
