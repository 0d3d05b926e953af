import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export type Received = { headers: Record<string, string | string[] | undefined>; body: string };

export type HttpsReceiver = {
  /** Where it listens: `https://127.0.0.1:<port>`. */
  origin: string;
  /** Its self-signed certificate (PEM file): what WEBHOOK_CA_FILE must name for deliveries to trust it. */
  certFile: string;
  received: Received[];
  /** Statuses to answer with, in turn; 200 once they run out. */
  answers: number[];
  /** The most requests it has held open at once (a silent receiver holds every one). */
  mostOpen: number;
  close: () => Promise<void>;
};

/**
 * A webhook receiver on loopback over HTTPS, with a self-signed certificate for 127.0.0.1 made by openssl. It
 * records every request and answers with the statuses it is given, or, `silent`, never answers: it accepts the
 * connection and the request and holds them, like a receiver that has hung.
 */
export async function startHttpsReceiver({ silent = false } = {}): Promise<HttpsReceiver> {
  const dir = mkdtempSync(path.join(tmpdir(), "sc-receiver-"));
  const [keyFile, certFile] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
    ].concat([
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ]),
    { stdio: "ignore" },
  );
  const receiver = { received: [] as Received[], answers: [] as number[], mostOpen: 0 };
  let open = 0;
  const server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
    receiver.mostOpen = Math.max(receiver.mostOpen, ++open);
    res.once("close", () => open--);
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      receiver.received.push({ headers: req.headers, body });
      if (silent) return;
      res
        .writeHead(receiver.answers.shift() ?? 200, { "content-type": "text/plain" })
        .end("receiver says hi");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(receiver, {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    certFile,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // What a silent receiver holds: the sender sees its attempts fail now instead of at their timeout.
        server.closeAllConnections();
      }),
  });
}
