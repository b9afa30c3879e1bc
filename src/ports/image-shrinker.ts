/** A downscaled copy of an image. */
export interface ShrunkImage {
  bytes: Uint8Array;
  contentType: string;
  width: number;
  height: number;
}

/** Makes inline-sized copies of large photos (long edge capped, metadata stripped). */
export interface ImageShrinker {
  /** Downscales the image; throws when the bytes are not a decodable image. */
  shrink(bytes: Uint8Array, options: { maxEdge: number }): Promise<ShrunkImage>;
}
