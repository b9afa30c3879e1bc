import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { BlobStore } from "../../ports/blob-store.js";

/** Options of {@link createFsBlobStore}. */
export interface FsBlobStoreOptions {
  /** Folder that holds the objects (keys become relative paths under it). */
  root: string;
}

const SAFE_KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*(\.[A-Za-z0-9]+)?$/;

/** BlobStore on the local filesystem; the content type is kept in a `<file>.type` sidecar. */
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

  return {
    async put(key, bytes, { contentType }) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      // Write-then-rename so a reader never sees half an object.
      const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(`${path}.type`, contentType);
      await writeFile(temp, bytes);
      await rename(temp, path);
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
        throw error;
      }
    },
    async head(key) {
      const path = pathOf(key);
      const info = await stat(path).catch(() => null);
      return info?.isFile() ? { size: info.size, contentType: await readType(path) } : null;
    },
    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      await rm(`${path}.type`, { force: true });
    },
  };
}
