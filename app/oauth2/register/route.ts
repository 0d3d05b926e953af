import { DCR_ROUTES } from "@/lib/dcr/routes";

export const dynamic = "force-dynamic";
export const { POST } = DCR_ROUTES["/oauth2/register"]!;
