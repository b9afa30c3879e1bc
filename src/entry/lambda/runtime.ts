import { join } from "node:path";
import { createFileWidgetBundle } from "../../adapters/fs/widget-file.js";
import { loadConfig } from "../../config.js";
import { createApp } from "../../http/app.js";
import { createServices, type Services } from "../compose.js";
import { createLogger } from "../logger.js";

/*
 * What every Lambda function shares: the same composition root as `npm start`, built once per
 * cold start. `npm run build` puts the prebuilt widget (`widget.js`) and the demo site (`demo/`)
 * next to each bundle, since esbuild cannot run inside a Lambda.
 */

async function coldStart(): Promise<Services> {
  try {
    const config = loadConfig();
    const logger = createLogger(config.logLevel, 1, true);
    const here = import.meta.dirname;
    return await createServices(config, logger, {
      widget: createFileWidgetBundle({ path: join(here, "widget.js") }),
      demoDir: join(here, "demo"),
    });
  } catch (error) {
    // One clear line in the function's log, then the cold start fails (Lambda reports an init error).
    const message = error instanceof Error ? error.message : String(error);
    console.error(`lead-handoff cannot start: ${message}`);
    throw error;
  }
}

/** The services of this Lambda instance. */
export const services: Services = await coldStart();

/** The HTTP API, the same Hono app the local server runs. */
export const app = createApp(services);
