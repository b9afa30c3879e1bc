import { serve } from "@hono/node-server";
import { ConfigError, loadConfig } from "../config.js";
import { createApp } from "../http/app.js";
import { createServices } from "./compose.js";
import { createLogger } from "./logger.js";

/** `npm start`: the product on embedded defaults (or whatever the environment selects). */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`lead-handoff: ${error.message}`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  const services = await createServices(config, logger);
  const app = createApp(services);
  // Build the widget now, so a broken bundle shows at start rather than on the first visit.
  services.widget
    .get()
    .catch((error: unknown) => logger.warn({ err: String(error) }, "chat widget not built"));
  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    const base = `http://localhost:${info.port}`;
    logger.info(
      {
        url: base,
        outbox: services.outbox ? `${base}/outbox` : null,
        api: `${base}/lead`,
        dataDir: config.dataDir,
      },
      `lead-handoff ready: ${base}  outbox ${base}/outbox  API ${base}/lead (POST)`,
    );
  });
  const stop = () => {
    server.close(() => void services.close().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

await main();
