import { configurationHandler } from "@/lib/dcr/handlers";

export const dynamic = "force-dynamic";
export async function GET(request: Request, { params }: { params: Promise<{ serviceProvider: string }> }) {
  return configurationHandler((await params).serviceProvider)(request);
}
