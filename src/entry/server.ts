import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createFileWidgetBundle } from "../adapters/fs/widget-file.js";
import { ConfigError, loadConfig } from "../config.js";
import { createApp } from "../http/app.js";
import { createCors } from "../http/middleware/cors.js";
import type { Logger } from "../ports/logger.js";
import type { LeadSweeper } from "../services/lead-sweeper.js";
import { admitInOrder, type RequestListener } from "./admission.js";
import { createServices, type ServiceOverrides, type Services } from "./compose.js";
import { createLogger } from "./logger.js";

/** Two copies of one signal this close together are one event (see the signal handler). */
const SAME_SIGNAL_MS = 100;
/** How long past its grace period a shutdown may take before the process exits regardless (code 1). */
const HARD_DEADLINE_EXTRA_MS = 5_000;
/**
 * After the drains, connections still busy (the last bytes of a reply, an upload) get the rest of
 * the grace period, and at least this long, before they are cut.
 */
const FLUSH_MS = 1_000;
/** The first sweeper pass runs this soon after start (or after one interval, when that is shorter). */
const FIRST_SWEEP_DELAY_MS = 1_000;

/**
 * What a request arriving during a shutdown is answered (it can only come on a connection kept
 * alive from before: the listener is closed): 503 `shutting_down`, and the connection is closed.
 * CORS first, so the widget on another origin can read the answer.
 */
function createShuttingDownApp(allowedOrigins: string[]): Hono {
  const app = new Hono();
  app.use("*", createCors({ allowedOrigins }));
  app.all("*", (c) => {
    c.header("Connection", "close");
    c.header("Retry-After", "5");
    const message = "The server is restarting; please try again in a moment.";
    return c.json({ error: { code: "shutting_down", message } }, 503);
  });
  return app;
}

/**
 * Runs a sweeper pass every `intervalMs`, the first shortly after start. The next pass is timed
 * from the end of the previous one, so passes never overlap. 0 disables. Returns the stop function.
 */
function startSweeper(sweeper: LeadSweeper, intervalMs: number, logger: Logger): () => void {
  if (intervalMs <= 0) return () => {};
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (delayMs: number) => {
    timer = setTimeout(pass, delayMs);
    timer.unref();
  };
  function pass() {
    sweeper
      .runOnce()
      .catch((error: unknown) => logger.error({ err: String(error) }, "lead sweep failed"))
      .finally(() => {
        if (!stopped) schedule(intervalMs);
      });
  }
  schedule(Math.min(intervalMs, FIRST_SWEEP_DELAY_MS));
  return () => {
    stopped = true;
    clearTimeout(timer);
    // Not awaited: the send in progress is what the handoff's drain waits for (or releases).
    void sweeper.stop();
  };
}

/**
 * Closes connections as they go idle (an answer just finished), for up to `withinMs`; then cuts
 * the rest. Resolves with how many had to be cut.
 */
async function closeConnections(server: Server, closed: Promise<void>, withinMs: number): Promise<number> {
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), 25);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), withinMs);
  });
  const outcome = await Promise.race([closed, late]);
  clearInterval(idle);
  clearTimeout(timer);
  if (outcome !== "late") return 0;
  const open = await new Promise<number>((resolve) =>
    server.getConnections((error, count) => resolve(error ? 0 : count)),
  );
  server.closeAllConnections();
  return open;
}

/**
 * The graceful shutdown: no new connections (a request on a connection kept alive from before is
 * answered 503 `shutting_down`); chat replies and lead sends get `SHUTDOWN_GRACE_SECONDS` to
 * finish; then replies still streaming end with an `error` event (what was said is kept) and lead
 * sends still running give their lease back, so the sweeper retries them at once. Then the
 * database is closed and one line says what was cut. Resolves with the exit code: 0 when
 * everything finished in time, 1 when something was cut.
 */
async function shutDown(
  services: Services,
  server: Server,
  closed: Promise<void>,
  graceMs: number,
  logger: Logger,
): Promise<number> {
  const started = performance.now();
  server.close(); // stops listening; idle kept-alive connections close now
  const [streams, leads] = await Promise.all([services.chat.drain(graceMs), services.leads.drain(graceMs)]);
  const graceLeft = graceMs - (performance.now() - started);
  const connections = await closeConnections(server, closed, Math.max(FLUSH_MS, graceLeft));
  await services.close();
  const fields = {
    streams_ended: streams.length,
    leads_released: leads.length,
    connections_cut: connections,
    ...(streams.length > 0 ? { stream_threads: streams } : {}),
    ...(leads.length > 0 ? { lead_threads: leads } : {}),
    ms: Math.round(performance.now() - started),
  };
  if (streams.length + leads.length + connections === 0) {
    logger.info(fields, "shutdown complete: every chat reply and lead send finished in time");
    return 0;
  }
  logger.warn(
    fields,
    `shutdown cut work short (chat replies ended: ${streams.length}, lead sends released for the` +
      ` sweeper: ${leads.length}, connections closed: ${connections})`,
  );
  return 1;
}

/**
 * The compiled server (dist/server, what `npm start` runs) has the widget built next to it by the
 * same build (scripts/server-build.ts): it serves that file rather than load esbuild at each
 * start. Under tsx there is none, and the widget is built from web/widget.
 */
function prebuiltWidget(): Pick<ServiceOverrides, "widget"> {
  const path = join(import.meta.dirname, "widget.js");
  return existsSync(path) ? { widget: createFileWidgetBundle({ path }) } : {};
}

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
  const services = await createServices(config, logger, prebuiltWidget());
  const app = createApp(services);
  const refuse = createShuttingDownApp(services.allowedOrigins);
  let stopping = false;
  // Build the widget now, so a broken bundle shows at start rather than on the first visit.
  services.widget
    .get()
    .catch((error: unknown) => logger.warn({ err: String(error) }, "chat widget not built"));
  const server = serve(
    {
      fetch: (request, env) => (stopping ? refuse : app).fetch(request, env),
      port: config.port,
      // Requests in arrival order, one per loop turn, so a burst never starves accepting connections.
      ...(config.httpAdmission === "fifo"
        ? {
            createServer: ((options: object, listener: RequestListener) =>
              createServer(options, admitInOrder(listener))) as typeof createServer,
          }
        : {}),
    },
    (info) => {
      const base = `http://localhost:${info.port}`;
      const ownerPages =
        services.owner.mode === "password" ? "password login" : "loopback only (set OWNER_PASSWORD)";
      logger.info(
        {
          url: base,
          outbox: services.outbox ? `${base}/outbox` : null,
          api: `${base}/lead`,
          dataDir: config.dataDir,
          owner_pages: services.owner.mode,
        },
        `lead-handoff ready: ${base}  outbox ${base}/outbox  API ${base}/lead (POST)  owner pages: ${ownerPages}`,
      );
    },
  ) as Server; // serve() makes a node:http server unless told otherwise
  // A port that cannot be opened is a setup problem: one line saying which and what to do, as for
  // a bad variable, rather than a stack trace.
  server.once("error", (error: NodeJS.ErrnoException) => {
    const why = {
      EADDRINUSE: "is in use by another program: stop it or set PORT to another port",
      EACCES: "may not be opened by this user: set PORT to one above 1023",
    };
    const reason = why[error.code as keyof typeof why];
    if (!reason) throw error;
    console.error(`lead-handoff: port ${config.port} ${reason}`);
    process.exit(1);
  });
  const closed = new Promise<void>((resolve) => server.once("close", () => resolve()));
  const stopSweeper = startSweeper(services.sweeper, config.lead.sweepIntervalMs, logger);

  let first: { signal: NodeJS.Signals; at: number } | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    const at = performance.now();
    // One Ctrl-C often arrives twice: a terminal signals its whole foreground process group, and
    // `npm start` (the server's parent) forwards its own copy. Copies this close are one event; a
    // second Ctrl-C pressed on purpose comes later.
    if (first?.signal === signal && at - first.at < SAME_SIGNAL_MS) return;
    first ??= { signal, at };
    if (stopping) {
      logger.error({ signal }, "second signal during shutdown: exiting now");
      process.exit(1);
    }
    stopping = true;
    stopSweeper();
    const graceMs = config.shutdownGraceMs;
    logger.info({ signal, grace_ms: graceMs }, "shutting down: finishing chat replies and lead sends");
    // Not unref'd: it also keeps the process alive (and exiting 1) should the drains wait on nothing.
    setTimeout(() => {
      logger.error({ signal, grace_ms: graceMs }, "shutdown passed its hard deadline: exiting now");
      process.exit(1);
    }, graceMs + HARD_DEADLINE_EXTRA_MS);
    shutDown(services, server, closed, graceMs, logger).then(
      (code) => process.exit(code),
      (error: unknown) => {
        logger.error({ err: String(error) }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

await main();
