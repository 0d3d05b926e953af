/**
 * `npm run keys:rotate`: adds a new signing key and retires the current one. The retired key stays in
 * /.well-known/jwks.json, so every statement it signed keeps verifying. Audited as `signing_key.rotated`.
 */
import os from "node:os";
import { db } from "@/lib/db";
import { rotateSigningKey } from "@/lib/keys/service";

rotateSigningKey({
  actor: {
    userId: null,
    email: `${os.userInfo().username}@${os.hostname()} (command line)`,
    role: "OPERATOR",
    actingFor: false,
  },
  request: { requestId: null, ip: null, userAgent: "npm run keys:rotate" },
})
  .then(({ kid }) => console.log(`New active signing key: ${kid}. Earlier keys stay published in the JWKS.`))
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => db.$disconnect());
