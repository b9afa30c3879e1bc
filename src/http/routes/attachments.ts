import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ALLOWED_UPLOAD_TYPES } from "../../core/chat/attachments.js";
import { MAX_ATTACHMENTS_PER_MESSAGE } from "../../core/chat/protocol.js";
import { PayloadTooLargeError, ValidationError } from "../../core/errors.js";
import type { AttachmentService } from "../../services/attachments.js";
import type { AuthEnv } from "../middleware/auth.js";

/** Options of {@link createAttachmentRoutes}. */
export interface AttachmentRoutesOptions {
  attachments: AttachmentService;
  /** Largest accepted file; the multipart body may be a little larger. */
  maxBytes: number;
}

/** Room for multipart boundaries and headers around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * POST /api/attachments (multipart `file`; `?attachment_id=` finishes a ChatKit `attachments.create`;
 * behind requireClientSecret), GET /api/attachments?id=<key>, and GET /api/attachments/limits
 * (`{max_bytes, max_files, types}`: what a page checks before it uploads, e.g. the hosted page's
 * photo button; the upload itself enforces them anyway).
 */
export function createAttachmentRoutes(options: AttachmentRoutesOptions): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const tooLarge = () => {
    throw new PayloadTooLargeError(`The file is too large; the limit is ${options.maxBytes} bytes.`);
  };
  app.post(
    "/",
    bodyLimit({ maxSize: options.maxBytes + MULTIPART_OVERHEAD, onError: tooLarge }),
    async (c) => {
      if (!c.req.header("content-type")?.toLowerCase().startsWith("multipart/form-data")) {
        throw new ValidationError('Send the file as multipart/form-data in a field named "file".');
      }
      const form = await c.req.parseBody().catch(() => {
        throw new ValidationError("The multipart body could not be read.");
      });
      const file = form.file;
      if (!(file instanceof File))
        throw new ValidationError('Missing the "file" field.', { code: "missing_file" });
      if (file.size > options.maxBytes) tooLarge();
      const bytes = new Uint8Array(await file.arrayBuffer());
      const attachmentId = c.req.query("attachment_id") ?? null;
      const upload = { bytes, name: file.name, userId: c.get("userId"), attachmentId };
      return c.json(await options.attachments.upload(upload), 201);
    },
  );
  app.get("/limits", (c) => {
    // The same for every visitor and changed only by a restart: a short cache is fine.
    c.header("Cache-Control", "public, max-age=300");
    return c.json({
      max_bytes: options.maxBytes,
      max_files: MAX_ATTACHMENTS_PER_MESSAGE,
      types: Object.keys(ALLOWED_UPLOAD_TYPES),
    });
  });
  app.get("/", async (c) => {
    const attachmentId = c.req.query("attachment_id");
    const key = c.req.query("id") ?? (attachmentId ? await options.attachments.keyOf(attachmentId) : null);
    if (!key) throw new ValidationError("Missing ?id=<key> (or ?attachment_id=<id>).");
    const direct = await options.attachments.downloadUrl(key);
    if (direct) {
      // The presigned URL expires soon: the redirect itself must not be cached longer.
      c.header("Cache-Control", "private, max-age=60");
      return c.redirect(direct, 302);
    }
    const blob = await options.attachments.download(key);
    return c.body(blob.bytes as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": blob.contentType,
      "Content-Length": String(blob.bytes.byteLength),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, max-age=86400",
      // Served bytes are customer uploads: never let a browser run them as a page.
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Content-Disposition": blob.contentType === "application/pdf" ? "attachment" : "inline",
    });
  });
  return app;
}
