import { metadataHandler } from "@/lib/dcr/handlers";

export const dynamic = "force-dynamic";
export const GET = metadataHandler;
