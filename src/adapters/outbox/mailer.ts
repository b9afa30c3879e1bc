import { randomBytes } from "node:crypto";
import { link, open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { storageErrorFrom } from "../../core/errors.js";
import type { Mailer, OutgoingMail } from "../../ports/mailer.js";
import { makeFolders } from "../common/make-folders.js";

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
   * Flush each file to disk before renaming it into place, so a power cut cannot lose a message
   * already reported as sent. Readers never see half a file either way (the rename is atomic);
   * this costs ~10 ms per 10 MB message on a typical disk, which the local outbox does not need.
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
 * every mail client opens. It is written to a temporary name and then renamed into place,
 * so a reader (the /outbox pages, a person in a file manager) never sees half a message. A full
 * or read-only disk throws a StorageError and leaves no temporary file behind.
 */
export function createOutboxMailer(options: OutboxMailerOptions): Mailer {
  const now = options.now ?? Date.now;

  return {
    async send(mail: OutgoingMail): Promise<{ messageId: string }> {
      const base = `${outboxTimestamp(now())}-${sanitizeMessageId(mail.messageId)}`;
      // The dot prefix and suffix keep the temporary file out of the reader's listing.
      const temp = join(options.dir, `.${base}.${randomBytes(6).toString("hex")}.tmp`);
      let created = false;
      try {
        await makeFolders(options.dir);
        const handle = await open(temp, "wx");
        created = true;
        try {
          // One write call for the whole message (FileHandle.writeFile would split it into 512 KB writes).
          for (let at = 0; at < mail.raw.byteLength; ) {
            at += (await handle.write(mail.raw, at, mail.raw.byteLength - at)).bytesWritten;
          }
          if (options.fsync) await handle.sync();
        } finally {
          await handle.close();
        }
        await publish(temp, options.dir, base);
      } catch (error) {
        // A full or read-only disk is a StorageError (storage_full / storage_unavailable).
        throw storageErrorFrom(error) ?? error;
      } finally {
        // After publishing, the temp name is a second link to the message; after a failure, a
        // partial file. Either way it goes.
        if (created) await unlink(temp).catch(() => undefined);
      }
      return { messageId: mail.messageId };
    },
  };
}

/**
 * Gives the finished file its final name. A hard link never replaces an existing file, so two
 * messages with the same id in the same millisecond both survive (`-1`, `-2`, ...). File systems
 * without hard links fall back to rename, which is just as atomic for the reader.
 */
async function publish(temp: string, dir: string, base: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const target = join(dir, `${base}${attempt ? `-${attempt}` : ""}.eml`);
    try {
      await link(temp, target);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") continue;
      if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS" || code === "EXDEV") {
        await rename(temp, target);
        return;
      }
      throw error;
    }
  }
  throw new Error(`outbox: too many messages named ${base}`);
}
