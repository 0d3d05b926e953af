import { onFetch } from "@/lib/dcr/fetch";
import { DCR_ROUTES } from "@/lib/dcr/routes";

export const dynamic = "force-dynamic";
export const POST = onFetch(DCR_ROUTES["/o/client/token"]!);
