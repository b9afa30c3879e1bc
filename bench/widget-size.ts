/**
 * The widget's weight on the wire: raw, gzipped and brotli sizes of the bundle `/widget.js` serves,
 * against the 30 KB gzipped budget and what comparable embeds ship.
 */
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import { createWidgetBundle } from "../src/adapters/esbuild/widget-bundle.js";

const ENTRY = resolve(import.meta.dirname, "../web/widget/index.ts");
const BUDGET_BYTES = 30 * 1024;
/** Gzipped sizes from the issue, for scale. */
const REFERENCES = [
  { name: "Typebot embed", gzipBytes: 192 * 1024 },
  { name: "Botpress webchat (without React)", gzipBytes: 228 * 1024 },
];

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export async function runWidgetSizeBench(entry = ENTRY) {
  console.log("## Widget bundle size (esbuild, minified IIFE, es2020)");
  if (!existsSync(entry)) throw new Error(`no widget to measure: ${display(entry)} does not exist`);
  const { code, gzipBytes } = await createWidgetBundle({ entry }).get();
  const rawBytes = Buffer.byteLength(code);
  const brotliBytes = brotliCompressSync(code, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: rawBytes },
  }).byteLength;
  console.log(`raw ${kb(rawBytes)} | gzip -9 ${kb(gzipBytes)} | brotli 11 ${kb(brotliBytes)}`);
  const met = gzipBytes <= BUDGET_BYTES;
  console.log(`budget: at most ${kb(BUDGET_BYTES)} gzipped -> ${met ? "MET" : "NOT MET"}`);
  for (const ref of REFERENCES)
    console.log(
      `${ref.name}: ${kb(ref.gzipBytes)} gzipped (${(ref.gzipBytes / gzipBytes).toFixed(1)}x ours)`,
    );
  return { rawBytes, gzipBytes, brotliBytes, budgetBytes: BUDGET_BYTES, met };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await runWidgetSizeBench();
  } catch (error) {
    // One line, not a stack: the usual cause is a missing or broken web/widget.
    console.error(`widget-size: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
