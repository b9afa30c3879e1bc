import { type FileHandle, open } from "node:fs/promises";

/**
 * Writes all of `bytes` at the handle's position with as few calls as the kernel allows (usually
 * one). `FileHandle.writeFile` and `fs.promises.writeFile` split a buffer into 512 KB writes, each a
 * round trip through libuv's thread pool: for a 10 MB email that is 20 waits on a busy event loop.
 */
export async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.byteLength; ) {
    at += (await handle.write(bytes, at, bytes.byteLength - at)).bytesWritten;
  }
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
