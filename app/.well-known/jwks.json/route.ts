import { publishedJwks } from "@/lib/keys/service";

export const dynamic = "force-dynamic";

/** Every public key this service signs statements (and tokens) with, retired ones included. */
export async function GET() {
  return Response.json(await publishedJwks(), {
    headers: { "Content-Type": "application/jwk-set+json", "Cache-Control": "public, max-age=300" },
  });
}
