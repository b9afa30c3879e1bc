/** A stored object. */
export interface Blob {
  bytes: Uint8Array;
  contentType: string;
}

/**
 * An object being stored piece by piece, while its later pieces are still being produced
 * ({@link BlobStore.startPut}). Nothing is visible under the key until `commit` resolves.
 */
export interface BlobWriter {
  /**
   * Adds the next piece. It is handed to the disk at once and written while the caller goes on
   * producing the next; the bytes must not change afterwards. A failed write surfaces in `commit`.
   */
  append(piece: Uint8Array): void;
  /** Waits for every piece, then puts the object in place, replacing any previous one. */
  commit(): Promise<void>;
  /** Drops what was written; the key keeps what it held before. */
  discard(): Promise<void>;
}

/** Where uploaded attachments live (`chatkit-attachments/<id>.<ext>` keys). */
export interface BlobStore {
  /** Stores bytes under key, replacing any previous object. */
  put(key: string, bytes: Uint8Array, options: { contentType: string }): Promise<void>;
  /** The object, or null when absent. */
  get(key: string): Promise<Blob | null>;
  /** Size in bytes and type without reading the body, or null when absent. */
  head(key: string): Promise<{ size: number; contentType: string } | null>;
  /** Removes the object; absent keys are fine. */
  delete(key: string): Promise<void>;
  /**
   * For stores that write to this machine's disk: {@link put} in pieces, so that writing a large
   * object (a 10 MB lead email) overlaps with producing it instead of following it. Same outcome
   * as `put`. Stores elsewhere leave it out, and callers then `put` the whole bytes.
   */
  startPut?(key: string, options: { contentType: string }): Promise<BlobWriter>;
  /**
   * A short-lived URL the browser can fetch the object from directly (an S3 presigned GET that
   * sets the response's Content-Type and Content-Disposition, naming `filename` when given), or
   * null when the object is absent. Stores that serve the bytes themselves leave it out: then the
   * caller reads the object with `get` and answers with the bytes.
   */
  downloadUrl?(key: string, options: { filename?: string }): Promise<string | null>;
  /**
   * For stores that keep each object as a file on this machine: the path of the file holding the
   * object's bytes (checked like any key; the file is absent when the object is). A reader that
   * can take a path, such as the image shrinker, then reads the file itself instead of the whole
   * object being loaded into memory first. Stores elsewhere (S3) leave it out.
   */
  localPath?(key: string): string;
}
