import { handle } from "hono/aws-lambda";
import { app } from "./runtime.js";

/** GET /sms/<token>: the owner's "text the customer back" page. (API Gateway HTTP API, payload 2.0.) */
export const handler = handle(app);
