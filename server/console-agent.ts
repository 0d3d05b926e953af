import { Agent } from "node:http";

/**
 * The front's kept-alive connections to the console. The console (Node's HTTP server) closes a connection idle
 * for its keepAliveTimeout and says when in every answer (`Keep-Alive: timeout=5`). An agent with no timeout of
 * its own ignores that hint, and may send the next request on a connection the console is closing at that
 * moment: the request fails with ECONNRESET and the person gets "The console is restarting" (it happened in an
 * end-to-end run). An agent with a timeout follows the hint: it closes an idle connection a second before the
 * console would. The minute is only for a console that sends no hint; Node's agent never ends a request on it.
 */
export const consoleAgent = () => new Agent({ keepAlive: true, timeout: 60_000 });
