import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFsBlobStore } from "../../../src/adapters/fs/blob-store.js";
import { runBlobStoreContract } from "../../contracts/blob-store.contract.js";
import { makeTempDir } from "../../support/temp-dir.js";

for (const flush of [false, true]) {
  runBlobStoreContract(`fs${flush ? " (flush, as npm start runs it)" : ""}`, async () => {
    const temp = makeTempDir();
    const root = join(temp.dir, "blobs");
    return { store: createFsBlobStore({ root, flush }), root, teardown: async () => temp.remove() };
  });
}

describe("fs blob store extras", () => {
  it("rejects a bad key with `invalid blob key: <key>` on every operation, before touching the disk", async () => {
    const temp = makeTempDir();
    try {
      const root = join(temp.dir, "blobs");
      const store = createFsBlobStore({ root });
      for (const key of [
        "../x",
        "/etc/passwd",
        "chatkit-attachments/../../etc",
        "a//b",
        "",
        "x/..",
        "a b.png",
      ]) {
        const error = new Error(`invalid blob key: ${key}`);
        await expect(store.get(key), key).rejects.toThrow(error);
        await expect(store.head(key), key).rejects.toThrow(error);
        await expect(store.put(key, new Uint8Array([1]), { contentType: "text/plain" }), key).rejects.toThrow(
          error,
        );
        await expect(store.delete(key), key).rejects.toThrow(error);
      }
      // Not even the root folder was created by the rejected puts.
      expect(existsSync(root)).toBe(false);
      expect(readdirSync(temp.dir)).toEqual([]);
    } finally {
      temp.remove();
    }
  });
});
