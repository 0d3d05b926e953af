/**
 * The peer of `npm run bench:token`: node-oidc-provider (ESM, hence plain .mjs) configured to do the work our
 * `POST /o/client/token` does — client_credentials for one confidential client (client_secret_post), an RS256
 * JWT access token for a default resource, 6 h lifetime — with its default in-memory adapter. Started by
 * bench/token.ts in its own process; reads PEER_PORT, PEER_CLIENT_ID, PEER_CLIENT_SECRET and prints
 * "ready" once it listens.
 */
import { generateKeyPairSync } from "node:crypto";
import Provider from "oidc-provider";

const port = Number(process.env.PEER_PORT);
const clientId = process.env.PEER_CLIENT_ID;
const clientSecret = process.env.PEER_CLIENT_SECRET;
if (!port || !clientId || !clientSecret)
  throw new Error("PEER_PORT, PEER_CLIENT_ID and PEER_CLIENT_SECRET are required.");

// The same key type and size as this service's signing keys (lib/keys/service.ts).
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: "jwk" }), kid: "bench-peer", alg: "RS256", use: "sig" };

const RESOURCE = "urn:statement-console:api";
const LIFETIME = 21600;

const provider = new Provider(`http://localhost:${port}`, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: "client_secret_post",
      scope: "api:client:v2",
    },
  ],
  jwks: { keys: [signingJwk] },
  scopes: ["api:client:v2"],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: "api:client:v2",
        audience: RESOURCE,
        accessTokenTTL: LIFETIME,
        accessTokenFormat: "jwt",
        jwt: { sign: { alg: "RS256" } },
      }),
    },
  },
  ttl: { ClientCredentials: LIFETIME, AccessToken: LIFETIME },
});

const server = provider.listen(port, () => console.log("ready"));
const stop = () => server.close(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
