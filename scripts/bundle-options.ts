/** What the Lambda bundles (scripts/build.ts) and the compiled server (scripts/server-build.ts) share. */
import type { BuildOptions } from "esbuild";

/**
 * Native or build-time modules: never bundled. sharp is copied next to the Lambda functions that
 * send mail; better-sqlite3 and esbuild only ever load on the embedded default, never on Lambda.
 */
export const EXTERNAL = ["sharp", "better-sqlite3", "esbuild"];

/** Bundled CommonJS dependencies call require(); ESM has none, so give them one. */
const BANNER =
  'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);';

/**
 * One ESM file per entry plus chunks: every `import()` of ours becomes a chunk of its own, so what
 * the sources load lazily (an adapter, the AWS SDK, nodemailer) stays lazy in the bundle. Everything
 * else is bundled: a cold start then reads a few files instead of hundreds of package modules.
 */
export const NODE_BUNDLE: BuildOptions = {
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  // ES module builds first: the AWS SDK's dist-es tree-shakes, its dist-cjs does not.
  mainFields: ["module", "main"],
  external: EXTERNAL,
  banner: { js: BANNER },
  logLevel: "warning",
};
