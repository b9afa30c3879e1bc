import { randomBytes } from "node:crypto";
import { link, open, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { storageErrorFrom } from "../../core/errors.js";
import type { Mailer, OutgoingMail } from "../../ports/mailer.js";
import { makeFolders } from "../common/make-folders.js";
import { syncFolder, writeAll } from "../common/whole-writes.js";

/** Options of {@link createOutboxMailer}. */
export interface OutboxMailerOptions {
  /** Folder the `.eml` files go to; created when missing. */
  dir: string;
  /**
   * Clock for the file name's timestamp (tests pin it).
   * @default Date.now
   */
  now?: () => number;
  /**
   * Make each message durable before `send` resolves: its data is flushed (fdatasync) before it is
   * linked into place, and the folder after, so a power cut cannot lose a message already reported
   * as sent. Readers never see half a file either way (the link is atomic). Costs about 10 ms per
   * 10 MB message on a typical disk; `npm start` turns it on (src/entry/backends.ts).
   * @default false
   */
  fsync?: boolean;
}

/**
 * What an outbox message id looks like: `<UTC timestamp>-<sanitized Message-ID>[-n]`. The reader
 * accepts nothing else, which is what keeps ids from naming a path outside the folder.
 */
export const OUTBOX_ID_PATTERN = /^\d{8}T\d{9}Z-[A-Za-z0-9_.@-]{1,160}$/;

/** `20250102T030405678Z`: sorts as text in time order and has no characters a file system minds. */
export function outboxTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, "");
}

/** The Message-ID as a file-name fragment: angle brackets dropped, anything unusual as `_`. */
export function sanitizeMessageId(messageId: string): string {
  const bare = messageId.replace(/[<>]/g, "").replace(/[^A-Za-z0-9_.@-]/g, "_");
  // Dots alone ("..") or a leading dot must never be a name part of their own.
  return (bare.replace(/^\.+/, "") || "message").slice(0, 150);
}

/**
 * The embedded mailer: each message becomes `<timestamp>-<message id>.eml` in `dir`, the form
 * every mail client opens. It is written to a temporary name and then linked into place, so a
 * reader (the /outbox pages, a person in a file manager) never sees half a message. When the mail
 * names a local file that already holds its bytes (`OutgoingMail.localPath`, the prepared copy on
 * the same disk), that file is linked into place instead and nothing is written twice. A full or
 * read-only disk throws a StorageError and leaves no temporary file behind.
 */
export function createOutboxMailer(options: OutboxMailerOptions): Mailer {
  const now = options.now ?? Date.now;
  const { dir } = options;

  /** Writes the bytes to a temporary name, then links it into place. */
  async function writeAndPublish(raw: Uint8Array, base: string): Promise<void> {
    // The dot prefix and suffix keep the temporary file out of the reader's listing.
    const temp = join(dir, `.${base}.${randomBytes(6).toString("hex")}.tmp`);
    let created = false;
    try {
      const handle = await open(temp, "wx");
      created = true;
      try {
        await writeAll(handle, raw);
        if (options.fsync) await handle.datasync();
      } finally {
        await handle.close();
      }
      await publish(dir, base, async (target) => {
        try {
          await link(temp, target);
        } catch (error) {
          // File systems without hard links: rename is just as atomic for the reader.
          if (!NO_LINKS.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
          await rename(temp, target);
          created = false;
        }
      });
    } finally {
      // After publishing, the temp name is a second link to the message; after a failure, a
      // partial file. Either way it goes, before the folder is flushed.
      if (created) await unlink(temp).catch(() => undefined);
    }
  }

  /**
   * Links the prepared copy into place; false (nothing published) when it cannot: the file is gone
   * or not the same size as the bytes to send, or it lives on another file system.
   */
  async function linkCopy(path: string, raw: Uint8Array, base: string): Promise<boolean> {
    const matches = async (file: string) => (await stat(file).catch(() => null))?.size === raw.byteLength;
    if (!(await matches(path))) return false;
    try {
      const target = await publish(dir, base, (t) => link(path, t));
      // Replaced between the check and the link (prepared again): send the bytes instead.
      if (await matches(target)) {
        // The copy was written without a flush; the message is that same data. A failed flush
        // takes the message back out, so the send fails as a whole.
        if (options.fsync)
          await syncFile(target).catch(async (error: unknown) => {
            await unlink(target).catch(() => undefined);
            throw error;
          });
        return true;
      }
      await unlink(target);
      return false;
    } catch (error) {
      if (LINK_FALLBACK.has((error as NodeJS.ErrnoException).code ?? "")) return false;
      throw error;
    }
  }

  return {
    async send(mail: OutgoingMail): Promise<{ messageId: string }> {
      const base = `${outboxTimestamp(now())}-${sanitizeMessageId(mail.messageId)}`;
      try {
        await makeFolders(dir);
        const linked = mail.localPath ? await linkCopy(mail.localPath, mail.raw, base) : false;
        if (!linked) await writeAndPublish(mail.raw, base);
        // The new name, not only the data: without it the file is on disk but in no folder.
        if (options.fsync) await syncFolder(dir);
      } catch (error) {
        // A full or read-only disk is a StorageError (storage_full / storage_unavailable).
        throw storageErrorFrom(error) ?? error;
      }
      return { messageId: mail.messageId };
    },
  };
}

/** Errors that mean "this file system has no hard links". */
const NO_LINKS = new Set(["EPERM", "ENOTSUP", "ENOSYS", "EXDEV"]);
/** Errors that send the prepared copy's bytes instead of linking the file. */
const LINK_FALLBACK = new Set([...NO_LINKS, "ENOENT", "EMLINK", "EACCES"]);

/** Flushes a file's data (fdatasync). */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * Gives the message its final name with `place` (a hard link, which never replaces an existing
 * file), so two messages with the same id in the same millisecond both survive (`-1`, `-2`, ...).
 * Returns the name it got.
 */
async function publish(dir: string, base: string, place: (target: string) => Promise<void>): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const target = join(dir, `${base}${attempt ? `-${attempt}` : ""}.eml`);
    try {
      await place(target);
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw error;
    }
  }
  throw new Error(`outbox: too many messages named ${base}`);
}
