import { randomBytes } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import {
  ALLOWED_UPLOAD_TYPES,
  type AttachmentDescriptor,
  attachmentKey,
  safeAttachmentName,
} from "../core/attachments.js";
import {
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../core/errors.js";
import { attachmentPreviewUrl, isAttachmentStorageKey } from "../core/transcript.js";
import type { Blob, BlobStore } from "../ports/blob-store.js";

/** Options of {@link createAttachmentService}. */
export interface AttachmentServiceOptions {
  blobs: BlobStore;
  /** Where `preview_url`s point (`CHATKIT_ATTACHMENT_PREVIEW_BASE_URL`). */
  previewBaseUrl: string;
  /** Largest accepted upload in bytes (`ATTACHMENT_MAX_BYTES`). */
  maxBytes: number;
}

/** Uploads and downloads of chat attachments. */
export interface AttachmentService {
  /** Checks, sniffs and stores an upload. */
  upload(input: { bytes: Uint8Array; name?: string }): Promise<AttachmentDescriptor>;
  /** The stored bytes for a key from a preview URL. */
  download(key: string): Promise<Blob>;
}

const allowedList = "JPEG, PNG, WebP, GIF, HEIC photos or a PDF";

/** Creates the attachment use cases. The type always comes from the bytes, never from the client. */
export function createAttachmentService(options: AttachmentServiceOptions): AttachmentService {
  const { blobs, previewBaseUrl, maxBytes } = options;
  return {
    async upload({ bytes, name }) {
      if (bytes.byteLength === 0) throw new ValidationError("The file is empty.", { code: "empty_file" });
      if (bytes.byteLength > maxBytes) {
        throw new PayloadTooLargeError(
          `The file is ${bytes.byteLength} bytes; the limit is ${maxBytes} bytes.`,
        );
      }
      const sniffed = await fileTypeFromBuffer(bytes);
      if (!sniffed || !(sniffed.mime in ALLOWED_UPLOAD_TYPES)) {
        throw new UnsupportedMediaTypeError(`This file type is not accepted. Please send ${allowedList}.`);
      }
      const id = `att_${randomBytes(12).toString("base64url")}`;
      const key = attachmentKey(id, sniffed.mime);
      await blobs.put(key, bytes, { contentType: sniffed.mime });
      return {
        id,
        name: safeAttachmentName(name, sniffed.mime),
        mime_type: sniffed.mime,
        size: bytes.byteLength,
        type: sniffed.mime.startsWith("image/") ? "image" : "file",
        preview_url: attachmentPreviewUrl(previewBaseUrl, key),
      };
    },
    async download(key) {
      if (!isAttachmentStorageKey(key)) throw new NotFoundError("No such attachment.");
      const blob = await blobs.get(key);
      if (!blob) throw new NotFoundError("No such attachment.");
      return blob;
    },
  };
}
