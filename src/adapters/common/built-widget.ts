import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { BuiltWidget } from "../../ports/widget-bundle.js";

/** The served form of a widget script: gzipped once, with a strong ETag of the code. */
export function builtWidgetFrom(code: string): BuiltWidget {
  const gzip = gzipSync(code, { level: 9 });
  const etag = `"${createHash("sha256").update(code).digest("base64url")}"`;
  return { code, gzip, gzipBytes: gzip.byteLength, etag };
}
