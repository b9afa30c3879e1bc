import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * `mkdir -p` that reports the real reason it failed: Node's recursive mkdir says ENOENT when a
 * folder cannot be created for any reason (EROFS, EACCES, ...), so on ENOENT each level is made
 * on its own, top down, and the first real failure is thrown.
 */
export async function makeFolders(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    const parent = dirname(dir);
    if (parent !== dir) await makeFolders(parent);
    await mkdir(dir).catch((inner: NodeJS.ErrnoException) => {
      if (inner.code !== "EEXIST") throw inner;
    });
  }
}
