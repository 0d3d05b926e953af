import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth/config";

// Convenience only: sends signed-out visits to the sign-in page and back. The security boundary is the
// service layer, which checks the caller on every request.
const { auth } = NextAuth(authConfig);
export default auth;

export const config = {
  // The client-facing DCR/OAuth endpoints never carry a session: keep them off this path entirely.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|o/|oauth2/|\\.well-known/|api/v2/).*)"],
};
