import { type FileHandle, open } from "node:fs/promises";

/**
 * Writes all of `bytes` at `position` with as few calls as the kernel allows (usually one).
 * `FileHandle.writeFile` and `fs.promises.writeFile` split a buffer into 512 KB writes, each a
 * round trip through libuv's thread pool: for a 10 MB email that is 20 waits on a busy event loop.
 */
export async function writeAll(handle: FileHandle, bytes: Uint8Array, position = 0): Promise<void> {
  for (let done = 0; done < bytes.byteLength; ) {
    done += (await handle.write(bytes, done, bytes.byteLength - done, position + done)).bytesWritten;
  }
}

/**
 * Writes pieces one after another into a new file, each handed to libuv's thread pool the moment
 * it is appended (at its own offset), so the disk copies one piece while the caller produces the
 * next. With `flushEvery`, each time that many more bytes were appended, the data written so far
 * starts to be flushed (fdatasync) alongside the next writes; the caller flushes the rest at the end.
 * `settled` waits for all of them and throws the first failure.
 */
export function pieceWriter(handle: FileHandle, flushEvery: number | null = null) {
  let end = 0;
  let flushedAt = 0;
  let failure: { error: unknown } | null = null;
  const writes: Promise<void>[] = [];
  // Caught here, at once: a write failing before `settled` is called must not be "unhandled".
  const track = (work: Promise<void>): void => {
    writes.push(
      work.catch((error: unknown) => {
        failure ??= { error };
      }),
    );
  };
  return {
    append(piece: Uint8Array): void {
      track(writeAll(handle, piece, end));
      end += piece.byteLength;
      if (flushEvery !== null && end - flushedAt >= flushEvery) {
        flushedAt = end;
        // Dispatched now, not after this write's callback: the caller is usually still encoding
        // and callbacks wait for it. The flush takes what the earlier writes have put down so far.
        track(handle.datasync());
      }
    },
    async settled(): Promise<void> {
      await Promise.all(writes);
      if (failure) throw failure.error;
    },
  };
}

/**
 * Makes the names in `dir` durable: after a new file's data is flushed and it is linked or renamed
 * into place, the folder's own entry list must reach the disk too, or a power cut can lose the name.
 */
export async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, "r").catch((error: NodeJS.ErrnoException) => {
    // Windows cannot open a folder; its file systems keep names with the file's own flush.
    if (error.code === "EISDIR" || error.code === "EPERM") return null;
    throw error;
  });
  if (!handle) return;
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
