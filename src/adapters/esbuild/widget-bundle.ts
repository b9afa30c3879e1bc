import { relative } from "node:path";
import type { BuiltWidget, WidgetBundle } from "../../ports/widget-bundle.js";
import { builtWidgetFrom } from "../common/built-widget.js";

/** Options of {@link createWidgetBundle}. */
export interface WidgetBundleOptions {
  /** Absolute path of the widget's entry module (`web/widget/index.ts`). */
  entry: string;
  /**
   * Minify the bundle (turn off only to read the output while debugging).
   * @default true
   */
  minify?: boolean;
}

/** Thrown when esbuild cannot build the widget; the message names the entry and esbuild's first errors. */
export class WidgetBuildError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WidgetBuildError";
  }
}

function displayPath(entry: string): string {
  const rel = relative(process.cwd(), entry);
  return rel && !rel.startsWith("..") ? rel : entry;
}

function describeFailure(entry: string, error: unknown): string {
  const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] })
    .errors;
  const details = errors?.length
    ? errors
        .slice(0, 3)
        .map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text))
        .join("; ")
    : error instanceof Error
      ? error.message
      : String(error);
  return `Could not build the chat widget from ${displayPath(entry)}: ${details}`;
}

async function buildWidget(entry: string, minify: boolean): Promise<BuiltWidget> {
  let code: string;
  try {
    // Loaded here, not with the module: ~70 ms that a server start need not wait for.
    const { build } = await import("esbuild");
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: "iife",
      target: "es2020",
      platform: "browser",
      write: false,
      minify,
      legalComments: "none",
      logLevel: "silent",
    });
    code = result.outputFiles[0]?.text ?? "";
  } catch (error) {
    throw new WidgetBuildError(describeFailure(entry, error), { cause: error });
  }
  return builtWidgetFrom(code);
}

/**
 * The widget bundle, built with esbuild's JS API once (on the first `get()`), then served from memory.
 * A failed build is cached as well, so a broken widget fails every request the same way, cheaply;
 * restart the server after fixing it.
 */
export function createWidgetBundle(options: WidgetBundleOptions): WidgetBundle {
  const minify = options.minify ?? true;
  let built: Promise<BuiltWidget> | undefined;
  return {
    get() {
      built ??= buildWidget(options.entry, minify);
      return built;
    },
  };
}
