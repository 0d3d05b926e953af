import { handlers } from "@/lib/auth";
import { withThrottledSignInAs429 } from "@/lib/auth/route-guard";

export const GET = handlers.GET;
export const POST = withThrottledSignInAs429(handlers.POST);
