import { handlers } from "@/lib/auth";
import {
  withEndedSessionAsNone,
  withoutSessionReissue,
  withThrottledSignInAs429,
} from "@/lib/auth/route-guard";

export const GET = withoutSessionReissue(withEndedSessionAsNone(handlers.GET));
export const POST = withThrottledSignInAs429(withEndedSessionAsNone(handlers.POST));
