/** Compiles a bench child script the way `npm start` runs the server: one esbuild bundle, plain node. */
import { join } from "node:path";
import { build } from "esbuild";
import { NODE_BUNDLE } from "../../scripts/bundle-options.js";

const ROOT = join(import.meta.dirname, "../..");

/**
 * Bundles `entry` (repository-relative) into dist/bench/<name>.mjs: inside the repository, so the
 * native packages it leaves out resolve from node_modules, and two folders deep like src/entry, so
 * compose.ts finds web/. Returns the output's path.
 */
export async function compileForNode(entry: string, name: string): Promise<string> {
  const outdir = join(ROOT, "dist/bench");
  await build({
    ...NODE_BUNDLE,
    entryPoints: { [name]: join(ROOT, entry) },
    outdir,
    target: "node20",
  });
  return join(outdir, `${name}.mjs`);
}
