// Child process for bench/cold-start.ts: the least a Hono server on node can do, answering
// GET /healthz on PORT. Plain JavaScript, so no TypeScript loader is in the figure.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.get("/healthz", (c) => c.json({ ok: true, status: "ok" }));
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT) });
process.on("SIGTERM", () => server.close(() => process.exit(0)));
