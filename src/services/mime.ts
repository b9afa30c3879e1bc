import { randomUUID } from "node:crypto";
import type MailComposerType from "nodemailer/lib/mail-composer";
import type MimeNode from "nodemailer/lib/mime-node";
import type { InlinePhoto, LeadEmail } from "../core/email/types.js";

/** Options of {@link buildMime}; the defaults are what production wants. */
export interface BuildMimeOptions {
  /**
   * The Date header.
   * @default the current time
   */
  date?: Date;
  /**
   * Shared part of the multipart boundaries; set only to get byte-identical output in tests.
   * @default random (nodemailer's)
   */
  baseBoundary?: string;
  /**
   * Encode photo bodies with {@link writeBase64Lines} instead of nodemailer's stream encoder. The
   * bytes are identical; nodemailer's encoder is ~5x slower on multi-megabyte photos.
   * @default true
   */
  fastBase64?: boolean;
  /**
   * Receives the message in order, in pieces of about 1 MB, as they are finished, while the rest
   * is still being encoded (to start writing it to disk early); joined, they are exactly the
   * returned bytes. The pieces are views of that buffer.
   */
  onPiece?: ((piece: Buffer) => void) | undefined;
}

let mailComposer: Promise<typeof MailComposerType> | undefined;

/**
 * nodemailer, loaded with the first email rather than with the server (it is ~100 ms of a cold
 * start, and most processes, a chat Lambda or a server between leads, never build a message).
 */
function loadMailComposer(): Promise<typeof MailComposerType> {
  mailComposer ??= import("nodemailer/lib/mail-composer").then((m) => m.default);
  return mailComposer;
}

/** RFC 2045: base64 lines are at most 76 characters. */
const LINE = 76;

/** A Buffer view over the same memory: photos are megabytes, so never copy them. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Length of `byteLength` bytes as CRLF-wrapped base64 (no line break after the last line). */
export function base64LinesLength(byteLength: number): number {
  const encoded = Math.ceil(byteLength / 3) * 4;
  return encoded + Math.max(0, Math.ceil(encoded / LINE) - 1) * 2;
}

/**
 * Input bytes encoded per slice: 1,024 lines of 57 bytes (76 base64 characters each). A slice's
 * base64 text (78 KB) stays a small string in V8's young generation; one string per photo would be
 * megabytes, which V8 places in freshly mapped pages, and touching those costs a page fault per
 * 4 KB (about 2,500 per email, most of the MIME step). 57 is a multiple of 3, so a slice has no
 * padding and the slices' lines joined by CRLF are exactly the whole photo's lines.
 */
const SLICE_BYTES = 57 * 1024;

/**
 * {@link BuildMimeOptions.onPiece} gets pieces of at least this size (the last may be smaller):
 * about ten thread-pool writes for a 10 MB email, the first one starting after ~1 ms of encoding.
 */
const PIECE_BYTES = 1 << 20;

/**
 * Writes `bytes` as CRLF-wrapped base64 into `out` at `at` (exactly what nodemailer's encoder
 * emits) and returns the end offset. Encodes {@link SLICE_BYTES} at a time, with a line break
 * between slices; `onSlice` learns where each slice ends.
 */
export function writeBase64Lines(
  out: Buffer,
  at: number,
  bytes: Uint8Array,
  onSlice?: (end: number) => void,
): number {
  const input = asBuffer(bytes);
  let to = at;
  for (let from = 0; ; from += SLICE_BYTES) {
    to = writeSliceLines(out, to, input.subarray(from, from + SLICE_BYTES));
    onSlice?.(to);
    if (from + SLICE_BYTES >= input.byteLength) return to;
    to += out.write("\r\n", to, "latin1");
  }
}

/**
 * One slice: its base64 text is written once into the tail of its target range, then each
 * 76-character line is moved forward in place with float64 loads and stores: base64 text has no
 * byte above 0x7a, so no 8 bytes of it form a NaN and every move is bit-exact. A line's
 * destination never reaches past its own source, so nothing unread is overwritten.
 */
function writeSliceLines(out: Buffer, at: number, slice: Buffer): number {
  const end = at + base64LinesLength(slice.byteLength);
  const encoded = Math.ceil(slice.byteLength / 3) * 4;
  let from = end - encoded;
  out.write(slice.toString("base64"), from, "latin1");
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let to = at;
  for (let lines = Math.max(0, Math.ceil(encoded / LINE) - 1); lines > 0; lines--) {
    // Unrolled on purpose: about twice as fast as an inner loop on V8.
    view.setFloat64(to, view.getFloat64(from, true), true);
    view.setFloat64(to + 8, view.getFloat64(from + 8, true), true);
    view.setFloat64(to + 16, view.getFloat64(from + 16, true), true);
    view.setFloat64(to + 24, view.getFloat64(from + 24, true), true);
    view.setFloat64(to + 32, view.getFloat64(from + 32, true), true);
    view.setFloat64(to + 40, view.getFloat64(from + 40, true), true);
    view.setFloat64(to + 48, view.getFloat64(from + 48, true), true);
    view.setFloat64(to + 56, view.getFloat64(from + 56, true), true);
    view.setFloat64(to + 64, view.getFloat64(from + 64, true), true);
    view.setUint32(to + 72, view.getUint32(from + 72, true), true);
    view.setUint16(to + 76, 0x0a0d, true); // "\r\n" little-endian
    to += LINE + 2;
    from += LINE;
  }
  out.copyWithin(to, from, end); // the last (possibly short) line
  return end;
}

interface Placeholder {
  marker: Buffer;
  photo: InlinePhoto;
}

/**
 * Nodemailer builds every photo part (Content-Type with name, Content-ID, Content-Disposition,
 * Content-Transfer-Encoding: base64); only its body becomes a unique marker, filled in later.
 */
function usePlaceholders(root: MimeNode, photos: InlinePhoto[]): Placeholder[] {
  const byCid = new Map(photos.map((photo) => [`<${photo.cid}>`, photo]));
  const nonce = randomUUID();
  const placeholders: Placeholder[] = [];
  const visit = (node: MimeNode): void => {
    const photo = byCid.get(String(node.getHeader("Content-Id") ?? ""));
    if (photo && node.childNodes.length === 0) {
      const marker = Buffer.from(`\0lead-photo-${placeholders.length}-${nonce}\0`, "latin1");
      node.setHeader("Content-Transfer-Encoding", "base64");
      node.setRaw(Buffer.concat([Buffer.from(`${node.buildHeaders()}\r\n\r\n`), marker]));
      placeholders.push({ marker, photo });
    }
    for (const child of node.childNodes) visit(child);
  };
  visit(root);
  return placeholders;
}

/**
 * Copies the small skeleton once into a buffer of the final size, encoding each photo in place,
 * and hands each finished piece of it to `onPiece`.
 */
function fill(skeleton: Buffer, placeholders: Placeholder[], onPiece?: (piece: Buffer) => void): Buffer {
  let size = skeleton.length;
  for (const p of placeholders) size += base64LinesLength(p.photo.bytes.byteLength) - p.marker.length;
  const out = Buffer.allocUnsafe(size);
  let handed = 0;
  const handOver = (upTo: number, last = false): void => {
    if (!onPiece || upTo - handed < (last ? 1 : PIECE_BYTES)) return;
    onPiece(out.subarray(handed, upTo));
    handed = upTo;
  };
  let read = 0;
  let write = 0;
  for (const { marker, photo } of placeholders) {
    const at = skeleton.indexOf(marker, read);
    if (at < 0) throw new Error("MIME photo placeholder not found");
    write += skeleton.copy(out, write, read, at);
    write = writeBase64Lines(out, write, photo.bytes, handOver);
    read = at + marker.length;
  }
  write += skeleton.copy(out, write, read);
  handOver(write, true);
  return out;
}

/** RFC 5322 lines end in CRLF; nodemailer passes 7bit and quoted-printable text through as given. */
function crlf(text: string): string {
  return text.replace(/\r\n|\r|\n/g, "\r\n");
}

/**
 * Builds the RFC 5322 message with nodemailer (never by hand). With inline photos nodemailer nests
 * `multipart/alternative(text/plain, multipart/related(text/html, image parts))`, the layout mail
 * clients expect: the images belong to the HTML that references them by `cid:`. Photo bodies are
 * spliced into nodemailer's output so the megabytes are copied once, not once per stream stage.
 */
export async function buildMime(email: LeadEmail, options: BuildMimeOptions = {}): Promise<Buffer> {
  const MailComposer = await loadMailComposer();
  const root = new MailComposer({
    from: email.from,
    to: email.to,
    replyTo: email.replyTo ?? undefined,
    subject: email.subject,
    messageId: email.messageId,
    date: options.date,
    baseBoundary: options.baseBoundary,
    headers: email.headers,
    text: crlf(email.text),
    html: crlf(email.html),
    attachments: email.inline.map((photo) => ({
      cid: photo.cid,
      filename: photo.filename,
      contentType: photo.contentType,
      contentDisposition: "inline",
      content: asBuffer(photo.bytes),
    })),
    // Everything is in memory already; a stray path or URL must never be read.
    disableFileAccess: true,
    disableUrlAccess: true,
  }).compile();
  const cids = new Set(email.inline.map((photo) => photo.cid));
  // Placeholders are matched by Content-ID; anything unusual takes nodemailer's own (slower) path.
  if (options.fastBase64 === false || cids.size === 0 || cids.size !== email.inline.length) {
    const raw = await root.build();
    options.onPiece?.(raw);
    return raw;
  }
  const placeholders = usePlaceholders(root, email.inline);
  return fill(await root.build(), placeholders, options.onPiece);
}
