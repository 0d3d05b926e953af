import { registerHandler } from "@/lib/dcr/handlers";

export const dynamic = "force-dynamic";
export const POST = registerHandler("rfc");
