import { open, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { AddressObject, ParsedMail, SimpleParserOptions } from "mailparser";
import type { MessageDecoder } from "../../ports/message-decoder.js";
import type { OutboxEntry, OutboxMessage, OutboxReader } from "../../ports/outbox-reader.js";
import { OUTBOX_ID_PATTERN } from "./mailer.js";

let mailparser: Promise<typeof import("mailparser")> | undefined;

/** mailparser's simpleParser, loaded when a message is first read: ~300 ms of a cold start otherwise. */
async function simpleParser(source: Buffer, options?: SimpleParserOptions): Promise<ParsedMail> {
  mailparser ??= import("mailparser");
  return (await mailparser).simpleParser(source, options);
}

/** Only headers are read for the listing; nodemailer's header blocks are far below this. */
const HEADER_READ_LIMIT = 64 * 1024;

/**
 * True for ids the outbox mailer makes, and nothing else: no separators, no `..` of its own, no
 * absolute paths, so an id can never name a file outside the outbox folder.
 */
export function isOutboxId(id: string): boolean {
  return OUTBOX_ID_PATTERN.test(id);
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((object) =>
    object.value.flatMap((a) => (a.group ?? [a]).map((m) => m.address ?? m.name).filter(Boolean)),
  );
}

/** The header block of a file (everything before the first empty line), read without the body. */
async function readHeaderBlock(path: string): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(HEADER_READ_LIMIT);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_READ_LIMIT, 0);
    const head = buffer.subarray(0, bytesRead);
    const crlf = head.indexOf("\r\n\r\n");
    const lf = head.indexOf("\n\n");
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
    return end >= 0 ? head.subarray(0, end) : head;
  } finally {
    await handle.close();
  }
}

async function describe(dir: string, id: string): Promise<OutboxEntry | null> {
  const path = join(dir, `${id}.eml`);
  try {
    const [info, head] = await Promise.all([stat(path), readHeaderBlock(path)]);
    // mailparser decodes encoded words and address lists; an empty body keeps it cheap.
    const parsed = await simpleParser(Buffer.concat([head, Buffer.from("\r\n\r\n")]), {
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
    });
    return {
      id,
      subject: parsed.subject ?? "(no subject)",
      from: addresses(parsed.from)[0] ?? "",
      to: addresses(parsed.to),
      date: parsed.date ?? info.mtime,
      size: info.size,
    };
  } catch {
    return null; // removed while listing, or not readable: leave it out
  }
}

/** The outbox, newest first (at most `limit`, default 500); empty when the folder does not exist yet. */
export async function listOutbox(dir: string, options: { limit?: number } = {}): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const ids = names
    .filter((name) => name.endsWith(".eml"))
    .map((name) => name.slice(0, -".eml".length))
    .filter(isOutboxId)
    .sort()
    .reverse() // the timestamp prefix sorts as text in time order
    .slice(0, options.limit ?? 500);
  const entries = await Promise.all(ids.map((id) => describe(dir, id)));
  return entries.filter((entry): entry is OutboxEntry => entry !== null);
}

/** The raw `.eml` bytes, or null when the id is invalid or unknown. */
export async function readOutboxRaw(dir: string, id: string): Promise<Buffer | null> {
  if (!isOutboxId(id)) return null;
  try {
    return await readFile(join(dir, `${id}.eml`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/**
 * The message parsed by mailparser, or null when the id is invalid or unknown. Unless
 * `keepCidLinks` is set, `cid:` images in `html` come back as `data:` URIs, ready to display.
 */
export async function readOutboxMessage(
  dir: string,
  id: string,
  options: { keepCidLinks?: boolean } = {},
): Promise<ParsedMail | null> {
  const raw = await readOutboxRaw(dir, id);
  if (!raw) return null;
  return simpleParser(raw, { skipImageLinks: options.keepCidLinks ?? false });
}

/** The parsed message as the pages show it. */
function forDisplay(mail: ParsedMail): OutboxMessage {
  return {
    subject: mail.subject ?? null,
    from: mail.from?.text ?? "",
    to: [mail.to ?? []]
      .flat()
      .map((a) => a.text)
      .join(", "),
    date: mail.date ?? null,
    html: mail.html || null,
    text: mail.text ?? null,
  };
}

/**
 * The {@link MessageDecoder} over mailparser: any stored email (the prepared lead emails kept in
 * the blob store, whatever the mailer) shown as the outbox shows its own.
 */
export function createMessageDecoder(): MessageDecoder {
  return {
    async decode(raw) {
      return forDisplay(await simpleParser(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)));
    },
  };
}

/** Options of {@link createOutboxReader}. */
export interface OutboxReaderOptions {
  /** The outbox mailer's folder. */
  dir: string;
}

/** The {@link OutboxReader} over the outbox mailer's folder of `.eml` files. */
export function createOutboxReader(options: OutboxReaderOptions): OutboxReader {
  const { dir } = options;
  return {
    list: (listOptions) => listOutbox(dir, listOptions),
    readRaw: (id) => readOutboxRaw(dir, id),
    async read(id) {
      const mail = await readOutboxMessage(dir, id);
      return mail ? forDisplay(mail) : null;
    },
  };
}
