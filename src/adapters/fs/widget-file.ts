import { readFile } from "node:fs/promises";
import type { BuiltWidget, WidgetBundle } from "../../ports/widget-bundle.js";
import { builtWidgetFrom } from "../common/built-widget.js";

/** Options of {@link createFileWidgetBundle}. */
export interface FileWidgetBundleOptions {
  /** The prebuilt widget script (`npm run build` writes it next to each Lambda bundle). */
  path: string;
}

/**
 * A widget built ahead of time and read from a file on first use: where esbuild cannot run
 * (a Lambda), the script `npm run build` made is served instead. A missing file fails every
 * request the same way, with its path in the message.
 */
export function createFileWidgetBundle(options: FileWidgetBundleOptions): WidgetBundle {
  let built: Promise<BuiltWidget> | undefined;
  return {
    get() {
      built ??= readFile(options.path, "utf8").then(builtWidgetFrom, (error: unknown) => {
        throw new Error(`The prebuilt chat widget ${options.path} cannot be read: ${String(error)}`);
      });
      return built;
    },
  };
}
