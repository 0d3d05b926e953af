/**
 * The reference `npm run bench:token` puts beside ours and the peer: bare node:http answering the token request with one RS256
 * JWT signed by node:crypto on libuv's pool, and nothing else (no client lookup, no storage, no framework).
 * Started by bench/token.ts in its own process; reads LIMIT_PORT and prints "ready" once it listens.
 */
import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { createServer } from "node:http";

const port = Number(process.env.LIMIT_PORT);
if (!port) throw new Error("LIMIT_PORT is required.");
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const b64url = (json) => Buffer.from(JSON.stringify(json)).toString("base64url");
const header = b64url({ alg: "RS256", kid: "limit", typ: "JWT" });

const server = createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    const clientId = new URLSearchParams(body).get("client_id") ?? "";
    const iat = Math.floor(Date.now() / 1000);
    const input = `${header}.${b64url({ sub: clientId, iat, nbf: iat, exp: iat + 21600, jti: randomUUID() })}`;
    sign("sha256", Buffer.from(input), privateKey, (error, signature) => {
      const out = JSON.stringify({
        access_token: `${input}.${signature.toString("base64url")}`,
        expires_in: 21600,
      });
      res.writeHead(201, { "content-type": "application/json", "content-length": Buffer.byteLength(out) });
      res.end(out);
    });
  });
});
server.listen(port, () => console.log("ready"));
const stop = () => server.close(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
