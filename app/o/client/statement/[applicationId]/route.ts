import { onFetch } from "@/lib/dcr/fetch";
import { statementUrlHandler } from "@/lib/dcr/handlers";

export const dynamic = "force-dynamic";
export const GET = onFetch(statementUrlHandler);
