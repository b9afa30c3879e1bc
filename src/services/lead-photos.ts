import { isInlineAsIs } from "../core/chat/attachments.js";
import { extractAttachments, parseAttachmentStorageKey } from "../core/chat/transcript.js";
import type { LeadEmailAttachment } from "../core/email/types.js";
import type { BlobStore } from "../ports/blob-store.js";
import type { ImageShrinker, ImageSource } from "../ports/image-shrinker.js";
import type { Logger } from "../ports/logger.js";

/** Options of {@link loadLeadAttachments}. */
export interface LoadLeadAttachmentsOptions {
  blobs: BlobStore;
  shrinker: ImageShrinker;
  logger: Logger;
  /** Only preview URLs under this base are ever read. */
  previewBaseUrl: string;
  /** Photos up to this size go inline as they are (`LEAD_INLINE_ATTACHMENT_MAX_BYTES`). */
  inlineMaxBytes: number;
  /** All inline parts of one email together stay under this. @default 10000000 */
  inlineBudgetBytes?: number | undefined;
  /** Long edge of downscaled copies. @default 1600 */
  maxEdge?: number;
}

/** Whether a photo goes inline as it is (small enough, a type every mail client shows). */
function asIs(size: number, contentType: string, inlineMaxBytes: number): boolean {
  return size <= inlineMaxBytes && isInlineAsIs(contentType);
}

/**
 * A stored photo: its bytes, or, when it will be downscaled anyway and the store keeps it as a
 * local file, only its path, so the shrinker streams the file and the (often 8 MB) original is
 * never held in memory. Null when the object is gone.
 */
async function readPhoto(
  blobs: BlobStore,
  key: string,
  inlineMaxBytes: number,
): Promise<{ contentType: string; source: ImageSource } | null> {
  const path = blobs.localPath?.(key);
  if (path) {
    const head = await blobs.head(key);
    if (!head) return null;
    const { size, contentType } = head;
    if (!asIs(size, contentType, inlineMaxBytes)) return { contentType, source: { path } };
  }
  const blob = await blobs.get(key);
  return blob && { contentType: blob.contentType, source: blob.bytes };
}

/**
 * Turns the transcript's `Attachment:` lines into email attachments: photos from OUR blob store
 * inline (as they are when small, downscaled when large), everything else as a link. One photo
 * failing never stops the email; it stays a link with a note. Photos are processed one at a time
 * so memory stays flat however many there are.
 */
export async function loadLeadAttachments(
  transcriptText: string,
  options: LoadLeadAttachmentsOptions,
): Promise<LeadEmailAttachment[]> {
  const { blobs, shrinker, logger, inlineMaxBytes, maxEdge = 1600 } = options;
  let budget = options.inlineBudgetBytes ?? 10_000_000;
  const result: LeadEmailAttachment[] = [];

  for (const [index, ref] of extractAttachments(transcriptText).entries()) {
    const base = { name: ref.name, mimeType: ref.mime_type, url: ref.preview_url };
    const link = (note: string | null): LeadEmailAttachment => ({ ...base, inline: null, note });
    const key = parseAttachmentStorageKey(ref.preview_url, options.previewBaseUrl);
    if (!key) {
      result.push(link("not from this site's upload store, so not loaded"));
      continue;
    }
    if (!ref.mime_type.startsWith("image/")) {
      result.push(link(null));
      continue;
    }
    try {
      const stored = await readPhoto(blobs, key, inlineMaxBytes);
      if (!stored) {
        result.push(link("file no longer stored"));
        continue;
      }
      const { source } = stored;
      let bytes: Uint8Array;
      let contentType = stored.contentType;
      if (source instanceof Uint8Array && asIs(source.byteLength, contentType, inlineMaxBytes)) {
        bytes = source;
      } else {
        const shrunk = await shrinker.shrink(source, { maxEdge });
        bytes = shrunk.bytes;
        contentType = shrunk.contentType;
      }
      if (bytes.byteLength > budget) {
        result.push(link("left out of the email to keep it small enough to deliver"));
        continue;
      }
      budget -= bytes.byteLength;
      const cid = `photo-${index + 1}@lead-handoff`;
      result.push({ ...base, inline: { cid, filename: ref.name, contentType, bytes }, note: null });
    } catch (error) {
      logger.warn({ key, err: String(error) }, "attachment could not be inlined; linking it instead");
      result.push(link("could not be shown inline"));
    }
  }
  return result;
}
