/**
 * The compiled server `npm start` runs (scripts/start.sh builds it when missing or stale):
 * `dist/server/server.mjs` and its chunks, bundled from src/entry/server.ts with esbuild like the
 * Lambda functions (scripts/bundle-options.ts), packages included except the native ones, which
 * load from node_modules. About 0.3 s faster to start than the same code with packages as separate
 * modules, and 0.6 s faster than tsx.
 */
import { readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build } from "esbuild";
import { createWidgetBundle } from "../src/adapters/esbuild/widget-bundle.js";
import { NODE_BUNDLE } from "./bundle-options.js";

const ROOT = join(import.meta.dirname, "..");

/**
 * Two folders below the repository, like src/entry: compose.ts finds web/ (the widget source and
 * the demo shop) at `import.meta.dirname/../..` from either place.
 */
export const SERVER_DIR = join(ROOT, "dist/server");

/**
 * Written when a build succeeds, with the time the build started: scripts/start.sh rebuilds when a
 * file under src/ or web/ is newer.
 */
export const SERVER_STAMP = join(SERVER_DIR, ".stamp");

/** The prebuilt chat widget's file name, next to server.mjs (src/entry/server.ts looks for it). */
export const PREBUILT_WIDGET = "widget.js";

/** Chunks of earlier builds are kept this long, for a server still running an earlier build. */
const KEEP_OLD_CHUNKS_MS = 24 * 3600_000;

/** Builds the server; returns the size in KB of what it wrote. */
export async function buildServer(): Promise<{ files: number; kb: number }> {
  const started = new Date();
  const result = await build({
    ...NODE_BUNDLE,
    entryPoints: { server: join(ROOT, "src/entry/server.ts") },
    outdir: SERVER_DIR,
    target: "node20",
    // Not minified: a stack trace names real functions and lines without source maps.
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
  });
  const written = new Set(Object.keys(result.metafile.outputs).map((file) => join(ROOT, file)));
  // The chat widget too, like the Lambda bundles': the compiled server serves this file instead
  // of loading esbuild and building it at every start (about 70 ms of a cold start).
  const widget = await createWidgetBundle({ entry: join(ROOT, "web/widget/index.ts") }).get();
  writeFileSync(join(SERVER_DIR, PREBUILT_WIDGET), widget.code);
  written.add(join(SERVER_DIR, PREBUILT_WIDGET));
  // Chunk names carry a content hash, so an older server's chunks are never overwritten; they go
  // once they are a day old.
  for (const name of readdirSync(SERVER_DIR)) {
    const path = join(SERVER_DIR, name);
    if (/\.mjs(\.map)?$/.test(name) && !written.has(path)) {
      if (Date.now() - statSync(path).mtimeMs > KEEP_OLD_CHUNKS_MS) rmSync(path, { force: true });
    }
  }
  writeFileSync(SERVER_STAMP, `${started.toISOString()}\n`);
  utimesSync(SERVER_STAMP, started, started);
  const bytes = [...written].reduce((sum, file) => sum + statSync(file).size, 0);
  return { files: written.size, kb: bytes / 1024 };
}

/** Where the build went, for the log line. */
export function serverDirForDisplay(): string {
  return relative(process.cwd(), SERVER_DIR) || ".";
}
