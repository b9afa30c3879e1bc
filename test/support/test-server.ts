import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { loadConfig } from "../../src/config.js";
import { createServices, type ServiceOverrides, type Services } from "../../src/entry/compose.js";
import { createApp } from "../../src/http/app.js";
import { type Logger, silentLogger } from "../../src/ports/logger.js";
import { makeTempDir } from "./temp-dir.js";

/** A real HTTP server on 127.0.0.1 over a fresh DATA_DIR. */
export interface TestServer {
  baseUrl: string;
  dataDir: string;
  outboxDir: string;
  services: Services;
  /** A fresh chat session: its client secret and the user id it stands for. */
  session(): Promise<{ secret: string; userId: string }>;
  close(): Promise<void>;
}

/** Starts the product as `npm start` would (same config loader, same composition root). */
export async function startTestServer(
  env: Record<string, string> = {},
  overrides: ServiceOverrides = {},
  logger: Logger = silentLogger,
): Promise<TestServer> {
  const temp = makeTempDir();
  const config = loadConfig({
    DATA_DIR: temp.dir,
    PORT: "0",
    PUBLIC_BASE_URL: "http://127.0.0.1:8787",
    ...env,
  });
  const services = await createServices(config, logger, overrides);
  const app = createApp(services);
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    dataDir: temp.dir,
    outboxDir: join(temp.dir, "outbox"),
    services,
    async session() {
      const response = await fetch(`${baseUrl}/api/chatkit/session`, { method: "POST" });
      const { client_secret: secret } = (await response.json()) as { client_secret: string };
      const { userId } = await services.sessions.authenticate(secret);
      return { secret, userId };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
      temp.remove();
    },
  };
}

/** Uploads one file to POST /api/attachments (multipart, as the widget does); the status and JSON body. */
export async function uploadAttachment(
  server: Pick<TestServer, "baseUrl">,
  secret: string,
  bytes: Uint8Array | string,
  name: string,
  type = "image/jpeg",
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.append("file", new Blob([typeof bytes === "string" ? bytes : new Uint8Array(bytes)], { type }), name);
  const response = await fetch(`${server.baseUrl}/api/attachments`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${secret}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
