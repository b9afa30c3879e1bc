import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Context, Hono } from "hono";
import { escapeHtml } from "../../core/html.js";
import type { BuiltWidget, WidgetBundle } from "../../ports/widget-bundle.js";

/** Options of {@link createWebRoutes}. */
export interface WebRoutesOptions {
  /** The widget script (built once, cached). */
  widget: WidgetBundle;
  /** Folder of the demo site (`web/demo`): `index.html` is served at `/`, everything in it under `/demo/`. */
  demoDir: string;
  /**
   * API base written into the demo page's widget snippet (`data-api`); empty means the page's own origin.
   * @default ""
   */
  apiBase?: string;
  /** Base of the chat endpoint written as `data-chat-url` when it is elsewhere (`CHAT_URL`). */
  chatUrl?: string | null;
}

/** The widget may change with a deploy: clients revalidate after 5 minutes (cheap, thanks to the ETag). */
const WIDGET_CACHE_CONTROL = "public, max-age=300";
const SNIPPET_API = 'data-api=""';

/** True when an If-None-Match header lists one of the ETags (or `*`). */
function matches(ifNoneMatch: string | undefined, etags: string[]): boolean {
  if (!ifNoneMatch) return false;
  const listed = ifNoneMatch.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
  return listed.includes("*") || listed.some((tag) => etags.includes(tag));
}

function acceptsGzip(c: Context): boolean {
  return /\bgzip\b/i.test(c.req.header("Accept-Encoding") ?? "");
}

/** The gzipped copy is another representation, so it gets its own strong ETag. */
function gzipEtag(widget: BuiltWidget): string {
  return `${widget.etag.slice(0, -1)}-gz"`;
}

async function widgetResponse(c: Context, bundle: WidgetBundle): Promise<Response> {
  let widget: BuiltWidget;
  try {
    widget = await bundle.get();
  } catch (error) {
    // Said plainly rather than as a bare 500: the usual cause is a syntax error in web/widget.
    const message = error instanceof Error ? error.message : String(error);
    c.header("Cache-Control", "no-store");
    return c.json({ error: { code: "widget_build_failed", message } }, 500);
  }
  const gzip = acceptsGzip(c);
  const etag = gzip ? gzipEtag(widget) : widget.etag;
  c.header("Cache-Control", WIDGET_CACHE_CONTROL);
  c.header("Vary", "Accept-Encoding");
  c.header("ETag", etag);
  if (matches(c.req.header("If-None-Match"), [widget.etag, gzipEtag(widget)])) return c.body(null, 304);
  c.header("Content-Type", "application/javascript; charset=utf-8");
  if (!gzip) return c.body(widget.code, 200);
  c.header("Content-Encoding", "gzip");
  return c.body(new Uint8Array(widget.gzip), 200);
}

/**
 * The public face of `npm start`: the embeddable widget at `/widget.js`, the demo shop site at `/`
 * and its assets under `/demo/`. Mount at the root: `app.route("/", createWebRoutes(...))`.
 */
export function createWebRoutes(options: WebRoutesOptions): Hono {
  const { widget, demoDir } = options;
  const apiBase = options.apiBase ?? "";
  const app = new Hono();
  // Only on these paths: mounted at "/", a "*" middleware would wrap every API response too.
  for (const path of ["/widget.js", "/", "/demo/*"]) {
    app.use(path, async (c, next) => {
      await next();
      c.header("X-Content-Type-Options", "nosniff");
    });
  }

  app.get("/widget.js", (c) => widgetResponse(c, widget));

  // Read per request (it is small), so editing the page needs no restart.
  app.get("/", async (c) => {
    const html = await readFile(join(demoDir, "index.html"), "utf8").catch(() => null);
    if (html === null) return c.notFound();
    c.header("Cache-Control", "no-cache");
    const chat = options.chatUrl ? ` data-chat-url="${escapeHtml(options.chatUrl)}"` : "";
    return c.html(html.replace(SNIPPET_API, `data-api="${escapeHtml(apiBase)}"${chat}`));
  });

  // The same shop with OpenAI's own component (CHAT_RUNTIME=chatkit); it gets no snippet rewriting.
  app.get("/chatkit.html", async (c) => {
    const html = await readFile(join(demoDir, "chatkit.html"), "utf8").catch(() => null);
    if (html === null) return c.notFound();
    c.header("Cache-Control", "no-cache");
    return c.html(html);
  });

  // serveStatic refuses "..", "//", backslashes and percent-encoded paths; root pins it to demoDir.
  app.get(
    "/demo/*",
    serveStatic({
      root: demoDir,
      rewriteRequestPath: (path) => path.replace(/^\/demo/, ""),
    }),
  );
  return app;
}
