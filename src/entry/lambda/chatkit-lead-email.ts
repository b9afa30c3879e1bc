import { handle } from "hono/aws-lambda";
import { app } from "./runtime.js";

/** POST /lead: the lead email, once per conversation. (API Gateway HTTP API, payload 2.0.) */
export const handler = handle(app);
