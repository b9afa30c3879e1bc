import { handle } from "hono/aws-lambda";
import { app } from "./runtime.js";

/** POST and GET /api/attachments: photo uploads and downloads. (API Gateway HTTP API, payload 2.0.) */
export const handler = handle(app);
