import { handle } from "hono/aws-lambda";
import { app } from "./runtime.js";

/** GET /widget.js, the demo site and /healthz. (API Gateway HTTP API, payload 2.0.) */
export const handler = handle(app);
