import { streamHandle } from "hono/aws-lambda";
import { app } from "./runtime.js";

/**
 * POST /api/chatkit: the chat, whose replies stream as server-sent events. Runs behind a Function
 * URL in `RESPONSE_STREAM` mode, so each delta reaches the browser as it is written.
 */
export const handler = streamHandle(app);
