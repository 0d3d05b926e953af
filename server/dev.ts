/** `npm run dev`: migrate and seed like `npm start`, then serve with hot reload (./start.ts has the processes). */
import { startConsole } from "./console-process";
import { startFront } from "./front";
import { prepareDatabase } from "./prepare";

async function main() {
  prepareDatabase();
  const consoleApp = await startConsole({ dev: true });
  await startFront({ dev: true, consoleSocket: consoleApp.socketPath, drained: consoleApp.stop });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
