import { randomBytes } from "node:crypto";
import {
  ALLOWED_UPLOAD_TYPES,
  type AttachmentDescriptor,
  attachmentKey,
  safeAttachmentName,
} from "../core/chat/attachments.js";
import { attachmentPreviewUrl, isAttachmentStorageKey } from "../core/chat/transcript.js";
import {
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../core/errors.js";
import type { Blob, BlobStore } from "../ports/blob-store.js";
import type { Clock } from "../ports/clock.js";
import type { ThreadStore } from "../ports/thread-store.js";

let fileType: Promise<typeof import("file-type")> | undefined;

/** file-type, loaded with the first upload rather than with the server (~80 ms of a cold start). */
function loadFileType(): Promise<typeof import("file-type")> {
  fileType ??= import("file-type");
  return fileType;
}

/** Options of {@link createAttachmentService}. */
export interface AttachmentServiceOptions {
  blobs: BlobStore;
  /** Attachment rows (owner, name, key) live with the threads. */
  threads: ThreadStore;
  clock: Clock;
  /** Where `preview_url`s point (`CHATKIT_ATTACHMENT_PREVIEW_BASE_URL`). */
  previewBaseUrl: string;
  /** Largest accepted upload in bytes (`ATTACHMENT_MAX_BYTES`). */
  maxBytes: number;
}

/** An upload: either direct, or the second phase of a ChatKit `attachments.create`. */
export interface UploadInput {
  bytes: Uint8Array;
  name?: string;
  /** The uploading chat user. */
  userId: string;
  /** Set when finishing an attachment created with `attachments.create`. */
  attachmentId?: string | null;
}

/** Uploads and downloads of chat attachments. */
export interface AttachmentService {
  /** Checks, sniffs and stores an upload, and records who owns it. */
  upload(input: UploadInput): Promise<AttachmentDescriptor>;
  /** The stored bytes for a key from a preview URL. */
  download(key: string): Promise<Blob>;
  /**
   * Where the browser may fetch the attachment directly (a short-lived presigned URL on S3, so
   * large photos never pass through a Lambda's 6 MB response limit); null when the store serves
   * bytes itself (then use `download`). Not found like `download`.
   */
  downloadUrl(key: string): Promise<string | null>;
  /**
   * The stored key of an uploaded attachment, by its id: the `preview_url` that `attachments.create`
   * hands out before the bytes (and so their real type) are known. Not found until uploaded.
   */
  keyOf(attachmentId: string): Promise<string>;
}

const allowedList = "JPEG, PNG, WebP, GIF, HEIC photos or a PDF";

/** Creates the attachment use cases. The type always comes from the bytes, never from the client. */
export function createAttachmentService(options: AttachmentServiceOptions): AttachmentService {
  const { blobs, threads, clock, previewBaseUrl, maxBytes } = options;

  /** The row to fill: the caller's pending one (two-phase), or a new one (direct upload). */
  async function targetRow(input: UploadInput) {
    if (!input.attachmentId) return { id: `att_${randomBytes(12).toString("base64url")}`, name: input.name };
    const row = await threads.getAttachment(input.attachmentId);
    // Someone else's attachment looks exactly like a missing one.
    if (!row || row.userId !== input.userId) throw new NotFoundError("No such attachment.");
    if (row.key)
      throw new ValidationError("This attachment was already uploaded.", { code: "already_uploaded" });
    return { id: row.id, name: input.name ?? row.name, threadId: row.threadId };
  }

  return {
    async upload(input) {
      const { bytes } = input;
      if (bytes.byteLength === 0) throw new ValidationError("The file is empty.", { code: "empty_file" });
      if (bytes.byteLength > maxBytes) {
        throw new PayloadTooLargeError(
          `The file is ${bytes.byteLength} bytes; the limit is ${maxBytes} bytes.`,
        );
      }
      const target = await targetRow(input);
      const sniffed = await (await loadFileType()).fileTypeFromBuffer(bytes);
      if (!sniffed || !(sniffed.mime in ALLOWED_UPLOAD_TYPES)) {
        throw new UnsupportedMediaTypeError(`This file type is not accepted. Please send ${allowedList}.`);
      }
      const key = attachmentKey(target.id, sniffed.mime);
      await blobs.put(key, bytes, { contentType: sniffed.mime });
      const descriptor: AttachmentDescriptor = {
        id: target.id,
        name: safeAttachmentName(target.name, sniffed.mime),
        mime_type: sniffed.mime,
        size: bytes.byteLength,
        type: sniffed.mime.startsWith("image/") ? "image" : "file",
        preview_url: attachmentPreviewUrl(previewBaseUrl, key),
      };
      await threads.saveAttachment({
        id: descriptor.id,
        userId: input.userId,
        threadId: target.threadId ?? null,
        name: descriptor.name,
        mimeType: descriptor.mime_type,
        type: descriptor.type,
        key,
        size: descriptor.size,
        previewUrl: descriptor.preview_url,
        createdAt: clock.now(),
      });
      return descriptor;
    },
    async download(key) {
      if (!isAttachmentStorageKey(key)) throw new NotFoundError("No such attachment.");
      const blob = await blobs.get(key);
      if (!blob) throw new NotFoundError("No such attachment.");
      return blob;
    },
    async keyOf(attachmentId) {
      // Attachment ids are as unguessable as keys, so this opens nothing a key would not.
      const row = await threads.getAttachment(attachmentId);
      if (!row?.key) throw new NotFoundError("No such attachment.");
      return row.key;
    },
    async downloadUrl(key) {
      if (!blobs.downloadUrl) return null;
      if (!isAttachmentStorageKey(key)) throw new NotFoundError("No such attachment.");
      const url = await blobs.downloadUrl(key, {});
      if (!url) throw new NotFoundError("No such attachment.");
      return url;
    },
  };
}
