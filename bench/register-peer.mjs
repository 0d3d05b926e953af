/**
 * The peer of `npm run bench:register`: node-oidc-provider (ESM, hence plain .mjs) with RFC 7591 dynamic
 * client registration at `POST /reg`, open (`features.registration: { enabled: true }`: no initial access
 * token, nothing to verify in the request beyond its metadata), client_credentials enabled so that a client
 * may ask for that grant, and its default in-memory adapter (an LRU of 1,000 entries: each registration adds
 * the client and its registration access token, so only the latest ~500 clients are kept, in memory). Each 201
 * carries client_id, client_secret, registration_access_token and registration_client_uri. Started by
 * bench/register.ts in its own process; reads PEER_PORT and prints "ready" once it listens.
 */
import { generateKeyPairSync } from "node:crypto";
import Provider from "oidc-provider";

const port = Number(process.env.PEER_PORT);
if (!port) throw new Error("PEER_PORT is required.");

// The same key type and size as this service's signing keys (lib/keys/service.ts); registration signs nothing.
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: "jwk" }), kid: "bench-peer", alg: "RS256", use: "sig" };

const provider = new Provider(`http://localhost:${port}`, {
  jwks: { keys: [signingJwk] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    registration: { enabled: true },
  },
});

const server = provider.listen(port, () => console.log("ready"));
const stop = () => server.close(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
