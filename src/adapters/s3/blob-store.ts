import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { StorageError } from "../../core/errors.js";
import type { BlobStore } from "../../ports/blob-store.js";

/** Options of {@link createS3BlobStore}. */
export interface S3BlobStoreOptions {
  /**
   * A configured client. Without one, the store builds its own: endpoint, region and credentials
   * then come from the SDK's default chain (`AWS_ENDPOINT_URL_S3`, `AWS_REGION`, the role, ...).
   */
  client?: S3Client;
  /** The bucket that holds the objects; keys are used as given. */
  bucket: string;
  /**
   * `<endpoint>/<bucket>/<key>` URLs instead of `<bucket>.<endpoint>/<key>`, for emulators and
   * S3-compatible endpoints. Only applies to the client the store builds. @default false
   */
  forcePathStyle?: boolean;
  /** Lifetime of the links {@link BlobStore.downloadUrl} hands out. @default 300 */
  downloadUrlSeconds?: number;
}

/** The same key rule as the fs store: the callers' keys look like `chatkit-attachments/<id>.<ext>`. */
const SAFE_KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*(\.[A-Za-z0-9]+)?$/;

/** SigV4 presigned URLs live at most 7 days. */
const MAX_URL_SECONDS = 7 * 24 * 3600;

/** Errno codes of a request that never got an answer. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);

interface SdkError {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * S3 down, throttling or out of reach becomes a StorageError (503 with Retry-After), like an
 * unwritable disk on the fs store. Anything else (no such bucket, access denied) is a
 * configuration fault and is rethrown as is.
 */
function storageFault(error: unknown): unknown {
  const e = (error ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  const unavailable =
    (status !== undefined && (status >= 500 || status === 429)) ||
    e.name === "TimeoutError" ||
    NETWORK_CODES.has(e.code ?? "");
  return unavailable ? new StorageError("storage_unavailable", { cause: error }) : error;
}

/** `filename*` (RFC 5987) keeps any name; the quoted `filename` fallback is plain ASCII. */
function contentDisposition(contentType: string, filename: string | undefined): string {
  // Photos show in the tab; anything else (PDFs, kept emails) is saved, never rendered as a page.
  const kind = contentType.startsWith("image/") ? "inline" : "attachment";
  if (!filename) return kind;
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * BlobStore on an S3 bucket: the content type is the object's ContentType. `downloadUrl` hands out
 * presigned GETs, so large photos go from S3 to the browser without passing through the server
 * (Lambda answers at most 6 MB). S3 being unavailable throws a StorageError.
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const { bucket } = options;
  const urlSeconds = options.downloadUrlSeconds ?? 300;
  if (!Number.isInteger(urlSeconds) || urlSeconds < 1 || urlSeconds > MAX_URL_SECONDS)
    throw new Error(`downloadUrlSeconds must be a whole number from 1 to ${MAX_URL_SECONDS}`);
  const client =
    options.client ??
    new S3Client({
      forcePathStyle: options.forcePathStyle ?? false,
      // Checksums only where S3 demands them: emulators (s3rver) reject the newer default ones.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });

  /** S3 takes any key; this store takes only plain ones, checked before any request. */
  function checked(key: string): string {
    if (!SAFE_KEY.test(key)) throw new Error(`invalid blob key: ${key}`);
    return key;
  }

  async function head(key: string): Promise<{ size: number; contentType: string } | null> {
    try {
      const object = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: checked(key) }));
      return {
        size: object.ContentLength ?? 0,
        contentType: object.ContentType ?? "application/octet-stream",
      };
    } catch (error) {
      // A HEAD answer has no body, so a missing key is only a 404 (named NotFound by the SDK).
      if ((error as SdkError).$metadata?.httpStatusCode === 404) return null;
      throw storageFault(error);
    }
  }

  return {
    async put(key, bytes, { contentType }) {
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: checked(key),
        Body: bytes,
        ContentType: contentType,
      });
      await client.send(command).catch((error: unknown) => {
        throw storageFault(error);
      });
    },
    async get(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: checked(key) }));
        return {
          bytes: (await object.Body?.transformToByteArray()) ?? new Uint8Array(),
          contentType: object.ContentType ?? "application/octet-stream",
        };
      } catch (error) {
        // Only a missing key is null: a missing bucket (NoSuchBucket, also a 404) is a fault.
        if ((error as SdkError).name === "NoSuchKey") return null;
        throw storageFault(error);
      }
    },
    head,
    async delete(key) {
      // S3 answers 204 for an absent key too.
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: checked(key) })).catch((error) => {
        throw storageFault(error);
      });
    },
    async downloadUrl(key, { filename }) {
      // One HEAD first: an absent object is a 404 of ours, not a link to S3's XML error.
      const object = await head(key);
      if (!object) return null;
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentType: object.contentType,
        ResponseContentDisposition: contentDisposition(object.contentType, filename),
      });
      return getSignedUrl(client, command, { expiresIn: urlSeconds });
    },
  };
}
