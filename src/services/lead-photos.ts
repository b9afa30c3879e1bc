import { isInlineAsIs } from "../core/chat/attachments.js";
import { extractAttachments, parseAttachmentStorageKey } from "../core/chat/transcript.js";
import type { LeadEmailAttachment } from "../core/email/types.js";
import type { Blob, BlobStore } from "../ports/blob-store.js";
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

/** A lookup's outcome, kept until its turn comes: failures must not go unhandled meanwhile. */
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  return work.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function unwrap<T>(settled: Settled<T>): T {
  if (!settled.ok) throw settled.error;
  return settled.value;
}

/** What `BlobStore.head` tells: size and type, or null when the object is gone. */
type Head = Awaited<ReturnType<BlobStore["head"]>>;

/**
 * The photo's source for the shrinker: the file's path when the store keeps it on local disk, so
 * the (often 8 MB) original is never held in memory, its bytes otherwise. Null when it is gone.
 */
async function shrinkSource(blobs: BlobStore, key: string): Promise<ImageSource | null> {
  const path = blobs.localPath?.(key);
  if (path) return { path };
  return (await blobs.get(key))?.bytes ?? null;
}

/**
 * What goes inline for one photo: its stored bytes when it goes as it is, a downscaled copy
 * otherwise; null when it is gone. `early` is its read when it was started ahead.
 */
async function inlinePhoto(
  key: string,
  head: Head,
  early: Promise<Settled<Blob | null>> | null,
  { blobs, shrinker, inlineMaxBytes, maxEdge = 1600 }: LoadLeadAttachmentsOptions,
): Promise<{ bytes: Uint8Array; contentType: string } | null> {
  if (!head) return null;
  let stored: Blob | null = null;
  if (asIs(head.size, head.contentType, inlineMaxBytes)) {
    stored = early ? unwrap(await early) : await blobs.get(key);
    if (!stored) return null;
    // Still as it is (the object was not replaced by a larger one since the lookup).
    if (asIs(stored.bytes.byteLength, stored.contentType, inlineMaxBytes)) return stored;
  }
  const source = stored?.bytes ?? (await shrinkSource(blobs, key));
  return source && (await shrinker.shrink(source, { maxEdge }));
}

/**
 * Turns the transcript's `Attachment:` lines into email attachments: photos from OUR blob store
 * inline (as they are when small, downscaled when large), everything else as a link. One photo
 * failing never stops the email; it stays a link with a note.
 *
 * Every photo's size is looked up at once, and the photos that go inline as they are are read at
 * once too, as many as fit the inline budget (their bytes are held until the email is built
 * anyway): a lead with three photos waits for one read, not three in a row. Photos to downscale
 * are read and downscaled one at a time, so memory stays flat however many there are.
 */
export async function loadLeadAttachments(
  transcriptText: string,
  options: LoadLeadAttachmentsOptions,
): Promise<LeadEmailAttachment[]> {
  const { blobs, logger, inlineMaxBytes } = options;
  let budget = options.inlineBudgetBytes ?? 10_000_000;
  const refs = extractAttachments(transcriptText);
  const keys = refs.map((ref) => parseAttachmentStorageKey(ref.preview_url, options.previewBaseUrl));
  // Looked up for photos from our store only; null for everything else.
  const heads = await Promise.all(
    keys.map((key, index) =>
      key && refs[index]?.mime_type.startsWith("image/") ? settle(blobs.head(key)) : null,
    ),
  );
  let room = budget;
  const asIsReads = heads.map((head, index) => {
    const found = head?.ok ? head.value : null;
    if (!found || !asIs(found.size, found.contentType, inlineMaxBytes) || found.size > room) return null;
    room -= found.size;
    return settle(blobs.get(keys[index] as string));
  });

  const result: LeadEmailAttachment[] = [];
  for (const [index, ref] of refs.entries()) {
    const base = { name: ref.name, mimeType: ref.mime_type, url: ref.preview_url };
    const link = (note: string | null): LeadEmailAttachment => ({ ...base, inline: null, note });
    const key = keys[index];
    const head = heads[index];
    if (!key) {
      result.push(link("not from this site's upload store, so not loaded"));
      continue;
    }
    if (!head) {
      result.push(link(null));
      continue;
    }
    try {
      const photo = await inlinePhoto(key, unwrap(head), asIsReads[index] ?? null, options);
      if (!photo) {
        result.push(link("file no longer stored"));
        continue;
      }
      const { bytes, contentType } = photo;
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
