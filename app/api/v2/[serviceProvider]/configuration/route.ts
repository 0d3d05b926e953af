import { fetchRequest, fetchResponse } from "@/lib/dcr/fetch";
import { configurationHandler } from "@/lib/dcr/handlers";

export const dynamic = "force-dynamic";
export async function GET(request: Request, { params }: { params: Promise<{ serviceProvider: string }> }) {
  return fetchResponse(await configurationHandler((await params).serviceProvider)(fetchRequest(request)));
}
