import { handle } from "hono/aws-lambda";
import { app } from "./runtime.js";

/** POST /api/chatkit/session: a client secret for the chat. (API Gateway HTTP API, payload 2.0.) */
export const handler = handle(app);
