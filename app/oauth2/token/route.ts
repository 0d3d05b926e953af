import { tokenHandler } from "@/lib/dcr/handlers";

export const dynamic = "force-dynamic";
export const POST = tokenHandler("rfc");
