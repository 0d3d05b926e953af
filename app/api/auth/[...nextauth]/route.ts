import { handlers } from "@/lib/auth";
import { withoutSessionReissue, withThrottledSignInAs429 } from "@/lib/auth/route-guard";

export const GET = withoutSessionReissue(handlers.GET);
export const POST = withThrottledSignInAs429(handlers.POST);
