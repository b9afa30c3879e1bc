/**
 * `npm run build`: one minified ESM bundle per Lambda function under `dist/lambda/<name>/`
 * (`index.mjs`, plus chunks that load only when the config picks them), the prebuilt widget and
 * the demo site next to each (every function runs the same app; a few KB), and sharp's Linux x64
 * build next to the functions that send mail. Prints each bundle's size.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { createWidgetBundle } from "../src/adapters/esbuild/widget-bundle.js";
import { LAMBDA_FUNCTIONS } from "../src/entry/lambda/functions.js";
import { NODE_BUNDLE } from "./bundle-options.js";
import { buildServer, serverDirForDisplay } from "./server-build.js";

const ROOT = join(import.meta.dirname, "..");
const OUT = join(ROOT, "dist/lambda");

// sharp and what it requires at run time, for Lambda's Linux x64.
const SHARP_PACKAGES = [
  "sharp",
  "@img/colour",
  "@img/sharp-linux-x64",
  "@img/sharp-libvips-linux-x64",
  "detect-libc",
  "semver",
];

function sizeOf(dir: string, pattern: RegExp): number {
  return readdirSync(dir)
    .filter((file) => pattern.test(file))
    .reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
}

async function bundle(name: string, outdir: string): Promise<void> {
  await build({
    ...NODE_BUNDLE,
    entryPoints: { index: join(ROOT, "src/entry/lambda", `${name}.ts`) },
    outdir,
    target: "node22",
    minify: true,
    sourcemap: "linked",
    legalComments: "none",
  });
}

function copySharp(outdir: string): void {
  for (const pkg of SHARP_PACKAGES) {
    const from = join(ROOT, "node_modules", pkg);
    if (!existsSync(from))
      throw new Error(`${pkg} is not installed: run npm ci on Linux x64 before npm run build`);
    const to = join(outdir, "node_modules", pkg);
    mkdirSync(dirname(to), { recursive: true });
    cpSync(from, to, { recursive: true, dereference: true });
  }
}

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  const widget = await createWidgetBundle({ entry: join(ROOT, "web/widget/index.ts") }).get();
  const business = join(ROOT, "business.json");
  for (const fn of LAMBDA_FUNCTIONS) {
    const outdir = join(OUT, fn.name);
    await bundle(fn.name, outdir);
    writeFileSync(join(outdir, "widget.js"), widget.code);
    cpSync(join(ROOT, "web/demo"), join(outdir, "demo"), { recursive: true });
    if (fn.sendsMail) copySharp(outdir);
    // The shop's own business.json, when there is one, travels with every function (Lambda's cwd).
    if (existsSync(business)) cpSync(business, join(outdir, "business.json"));
    const entryKb = statSync(join(outdir, "index.mjs")).size / 1024;
    const allKb = sizeOf(outdir, /\.mjs$/) / 1024;
    console.log(
      `${fn.name.padEnd(26)} index.mjs ${entryKb.toFixed(0).padStart(5)} KB, all chunks ${allKb.toFixed(0).padStart(5)} KB`,
    );
  }
  console.log(`built ${LAMBDA_FUNCTIONS.length} functions in ${OUT}`);
}

/** `npm run build -- server` (what `npm start` runs when its build is missing or stale). */
async function mainServer(): Promise<void> {
  const { files, kb } = await buildServer();
  console.log(`built the server (${files} files, ${kb.toFixed(0)} KB) in ${serverDirForDisplay()}`);
}

if (process.argv[2] === "server") await mainServer();
else await main();
