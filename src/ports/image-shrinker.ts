/** A downscaled copy of an image. */
export interface ShrunkImage {
  bytes: Uint8Array;
  contentType: string;
  width: number;
  height: number;
}

/**
 * What to shrink: the image's bytes, or the path of a local file that holds them (a blob store's
 * `BlobStore.localPath`). A path lets the decoder stream the file instead of the caller
 * holding megabytes in memory first.
 */
export type ImageSource = Uint8Array | { path: string };

/** Makes inline-sized copies of large photos (long edge capped, metadata stripped). */
export interface ImageShrinker {
  /**
   * Downscales the image; throws when the bytes (or the file at the path) are not a decodable
   * image, or the file cannot be read. The same image gives the same copy either way.
   */
  shrink(source: ImageSource, options: { maxEdge: number }): Promise<ShrunkImage>;
}
