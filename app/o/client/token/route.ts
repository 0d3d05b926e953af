import { DCR_ROUTES } from "@/lib/dcr/routes";

export const dynamic = "force-dynamic";
export const { POST } = DCR_ROUTES["/o/client/token"]!;
