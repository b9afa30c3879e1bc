/** Child process: the real product server with one thread already sent. Prints `READY <port> <thread> <secret>`. */

import { createLogger } from "../../src/entry/logger.js";
import { startTestServer } from "../../test/support/test-server.js";
import { seedThread } from "../../test/support/threads.js";
import { fortyTurnConversation } from "./conversation.js";

const server = await startTestServer({}, {}, createLogger("info", "/dev/null"));
const threadId = "cthr_already_sent";
const visitor = await server.session();
await seedThread(
  server.services.threads,
  threadId,
  fortyTurnConversation(Date.now() - 3_600_000, []),
  visitor.userId,
);
const first = await server.services.leads.handle({ threadId, reason: "manual" });
if (first.lead_reason !== "sent") throw new Error(`setup failed: ${first.lead_reason}`);
console.log(`READY ${new URL(server.baseUrl).port} ${threadId} ${visitor.secret}`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
