/** Child process: a bare Hono endpoint answering the same JSON as an already-sent /lead. */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const answer = {
  ok: true,
  lead_reason: "already_sent",
  thread_id: "cthr_already_sent",
  message_id: "<lead-cthr_already_sent@lead-handoff.localhost>",
};
const app = new Hono();
app.post("/lead", (c) => c.json(answer));
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
server.once("listening", () =>
  console.log(`READY ${(server.address() as AddressInfo).port} cthr_already_sent none`),
);
process.on("SIGTERM", () => server.close(() => process.exit(0)));
