/** `npm run dev`: migrate and seed like `npm start`, then serve with hot reload. */
import { prepareDatabase } from "./prepare";
import { startServer } from "./front";

prepareDatabase();
startServer({ dev: true }).catch((error) => {
  console.error(error);
  process.exit(1);
});
