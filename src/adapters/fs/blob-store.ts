import { randomBytes } from "node:crypto";
import { type FileHandle, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { storageErrorFrom } from "../../core/errors.js";
import type { BlobStore, BlobWriter } from "../../ports/blob-store.js";
import { makeFolders } from "../common/make-folders.js";
import { pieceWriter, syncFolder } from "../common/whole-writes.js";

/** Options of {@link createFsBlobStore}. */
export interface FsBlobStoreOptions {
  /** Folder that holds the objects (keys become relative paths under it). */
  root: string;
  /**
   * Make each object durable before `put` (or `commit`) resolves: its data is flushed (fdatasync)
   * before it is renamed into place, and its folder after, so a power cut cannot lose an upload
   * already acknowledged or the prepared copy of a lead email. Written in pieces, the data is
   * flushed every few MB while later pieces are still being produced, so little is left to flush
   * at the end. `npm start` turns it on (src/entry/backends.ts).
   * @default false
   */
  flush?: boolean;
}

/** With `flush`, the data written so far is flushed each time this much more has been appended. */
const FLUSH_EVERY_BYTES = 4 << 20;

const SAFE_KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*(\.[A-Za-z0-9]+)?$/;

/** A full or unwritable disk becomes a StorageError (507/503); anything else is rethrown as is. */
function storageFault(error: unknown): unknown {
  return storageErrorFrom(error) ?? error;
}

/** Removes a file if it is there; a failure to clean up never hides the error being reported. */
async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => undefined);
}

/**
 * BlobStore on the local filesystem; the content type is kept in a `<file>.type` sidecar. A full
 * or read-only disk throws a StorageError and leaves nothing behind.
 */
export function createFsBlobStore(options: FsBlobStoreOptions): BlobStore {
  const root = resolve(options.root);

  /** Keys are checked before touching the disk: a key can never name a path outside root. */
  function pathOf(key: string): string {
    const path = resolve(join(root, key));
    if (!SAFE_KEY.test(key) || !path.startsWith(root + sep)) throw new Error(`invalid blob key: ${key}`);
    return path;
  }

  async function readType(path: string): Promise<string> {
    return (await readFile(`${path}.type`, "utf8").catch(() => "application/octet-stream")).trim();
  }

  /**
   * The data goes to a temporary name first; on commit the type and then the data are renamed into
   * place, type first: whenever the object is visible its type already is, and a reader never sees
   * half a file.
   */
  async function startPut(key: string, { contentType }: { contentType: string }): Promise<BlobWriter> {
    const path = pathOf(key);
    const suffix = `${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    const dataTemp = `${path}.${suffix}`;
    const typeTemp = `${path}.type.${suffix}`;
    let data: FileHandle;
    try {
      await makeFolders(dirname(path));
      data = await open(dataTemp, "wx");
    } catch (error) {
      throw storageFault(error);
    }
    const pieces = pieceWriter(data, options.flush ? FLUSH_EVERY_BYTES : null);
    let finished = false;
    /** Waits for the writes (and flushes them), then closes the file, whatever happened to them. */
    const closeData = async (): Promise<void> => {
      try {
        await pieces.settled();
        if (options.flush) await data.datasync();
      } finally {
        await data.close();
      }
    };
    return {
      append(piece) {
        if (finished) throw new Error("blob writer already finished");
        pieces.append(piece);
      },
      async commit() {
        if (finished) throw new Error("blob writer already finished");
        finished = true;
        let typePlaced = false;
        let done = false;
        try {
          await closeData();
          await writeFile(typeTemp, contentType, { flag: "wx" });
          await rename(typeTemp, `${path}.type`);
          typePlaced = true;
          await rename(dataTemp, path);
          done = true;
          if (options.flush) await syncFolder(dirname(path));
        } catch (error) {
          throw storageFault(error);
        } finally {
          if (!done) {
            await removeQuietly(dataTemp);
            await removeQuietly(typeTemp);
            // A type without its object is an orphan (an older object under the key keeps its type).
            if (typePlaced && !(await stat(path).catch(() => null))) await removeQuietly(`${path}.type`);
          }
        }
      },
      async discard() {
        if (finished) return;
        finished = true;
        await closeData().catch(() => undefined);
        await removeQuietly(dataTemp);
      },
    };
  }

  return {
    startPut,
    async put(key, bytes, options) {
      const writer = await startPut(key, options);
      writer.append(bytes);
      await writer.commit();
    },
    async get(key) {
      const path = pathOf(key);
      try {
        const bytes = await readFile(path);
        return {
          bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
          contentType: await readType(path),
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw storageFault(error);
      }
    },
    async head(key) {
      const path = pathOf(key);
      const info = await stat(path).catch(() => null);
      return info?.isFile() ? { size: info.size, contentType: await readType(path) } : null;
    },
    localPath: pathOf,
    async delete(key) {
      const path = pathOf(key);
      try {
        await rm(path, { force: true });
        await rm(`${path}.type`, { force: true });
      } catch (error) {
        throw storageFault(error);
      }
    },
  };
}
