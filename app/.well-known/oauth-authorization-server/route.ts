import { fetchResponse } from "@/lib/dcr/fetch";
import { metadataHandler } from "@/lib/dcr/handlers";

export const dynamic = "force-dynamic";
export const GET = () => fetchResponse(metadataHandler());
