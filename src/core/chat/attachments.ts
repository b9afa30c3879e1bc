/** Types we accept for upload, by the MIME type sniffed from the bytes, with the extension we store. */
export const ALLOWED_UPLOAD_TYPES: Readonly<Record<string, string>> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/gif": "gif",
  "image/heic": "heic",
  "image/heif": "heif",
  "application/pdf": "pdf",
};

/** Image types every mainstream mail client renders inline as they are. */
const INLINE_AS_IS = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

/** True when an attachment of this type can be shown inline without converting it. */
export function isInlineAsIs(contentType: string): boolean {
  return INLINE_AS_IS.has(contentType);
}

/** The descriptor POST /api/attachments answers with (and the shape thread items carry). */
export interface AttachmentDescriptor {
  id: string;
  name: string;
  mime_type: string;
  size: number;
  type: "image" | "file";
  preview_url: string;
}

/** Blob key for an upload id and sniffed type. */
export function attachmentKey(id: string, mimeType: string): string {
  const ext = ALLOWED_UPLOAD_TYPES[mimeType];
  if (!ext) throw new Error(`no extension for ${mimeType}`);
  return `chatkit-attachments/${id}.${ext}`;
}

/**
 * A display name safe to show and store: no path, no control characters, bounded length,
 * and ending in the extension of the REAL type (a `.jpg` name on a PNG is corrected).
 */
export function safeAttachmentName(clientName: string | undefined, mimeType: string): string {
  const ext = ALLOWED_UPLOAD_TYPES[mimeType] ?? "bin";
  const base = (clientName ?? "")
    .split(/[\\/]/)
    .pop()
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    ?.replace(/[\u0000-\u001f\u007f"<>]+/g, "")
    .replace(/\.[A-Za-z0-9]{1,8}$/, "")
    .trim()
    .slice(0, 100);
  return `${base || "upload"}.${ext}`;
}
