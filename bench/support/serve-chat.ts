/**
 * Child process: the real product server (local assistant, SQLite, pino to /dev/null) with the
 * session and message rate limits off, since every simulated visitor comes from one loopback IP.
 * Prints `READY <port>`.
 */

import { createLogger } from "../../src/entry/logger.js";
import { startTestServer } from "../../test/support/test-server.js";

const server = await startTestServer(
  {
    RATE_LIMIT_MESSAGES_PER_IP: "0",
    RATE_LIMIT_MESSAGES_PER_USER: "0",
    RATE_LIMIT_SESSIONS_PER_IP: "0",
  },
  {},
  createLogger("info", "/dev/null"),
);
console.log(`READY ${new URL(server.baseUrl).port}`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
