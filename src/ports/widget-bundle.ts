/** One built widget: the script, its gzipped bytes and a strong ETag. */
export interface BuiltWidget {
  /** The whole widget as one IIFE script. */
  code: string;
  /** `code` gzipped once at build time (served as is to clients that accept gzip). */
  gzip: Uint8Array;
  /** Size of `gzip` in bytes (the figure of the 30 KB budget). */
  gzipBytes: number;
  /** Strong ETag of `code`, quoted: `"<sha256 base64url>"`. */
  etag: string;
}

/** The widget script, built on first use and cached for the life of the process. */
export interface WidgetBundle {
  /** The built widget; rejects with an Error naming the entry when the build fails (cached too). */
  get(): Promise<BuiltWidget>;
}
