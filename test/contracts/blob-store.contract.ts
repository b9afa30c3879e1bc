import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BlobStore } from "../../src/ports/blob-store.js";
import { makeTempDir } from "../support/temp-dir.js";

/** What a BlobStore contract run needs from an adapter. */
export interface BlobStoreFixture {
  store: BlobStore;
  /**
   * For adapters backed by a folder: the folder that holds the objects. Its parent must belong to
   * the fixture alone (it is removed on teardown): the contract plants decoy files there and checks
   * that keys trying to leave the store neither create nor remove anything under it.
   */
  root?: string;
  teardown(): Promise<void>;
}

/** Every file under `dir` (recursively) with its bytes, to compare before/after. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, entry);
    files[entry] = statSync(path).isFile() ? readFileSync(path).toString("base64") : "<dir>";
  }
  return files;
}

/**
 * Keys that name a place outside the store, or a store key in a disguise, relative to the store
 * (absolute keys are added per test, pointing into a throwaway folder so that a broken adapter
 * cannot write anywhere that matters).
 */
const ESCAPING_KEYS = [
  "../x",
  "../escape.png",
  "../outside/y.png",
  "chatkit-attachments/../../etc",
  "chatkit-attachments/../../escape.png",
  "..",
  "chatkit-attachments/..",
  // These resolve to the legitimate key below, but are not spelled like one.
  "chatkit-attachments/../chatkit-attachments/keep.png",
  "./chatkit-attachments/keep.png",
  "chatkit-attachments//keep.png",
  "",
];
const KEEP_KEY = "chatkit-attachments/keep.png";
const KEEP_BYTES = [1, 2, 3];

/** The BlobStore contract: every adapter must pass it. */
export function runBlobStoreContract(name: string, setup: () => Promise<BlobStoreFixture>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let fixture: BlobStoreFixture;
    beforeEach(async () => {
      fixture = await setup();
    });
    afterEach(async () => fixture.teardown());

    it("round-trips bytes and content type", async () => {
      const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0, 1, 2, 255]);
      await fixture.store.put("chatkit-attachments/abc.jpg", bytes, { contentType: "image/jpeg" });
      const blob = await fixture.store.get("chatkit-attachments/abc.jpg");
      expect(blob?.contentType).toBe("image/jpeg");
      expect(Array.from(blob?.bytes ?? [])).toEqual(Array.from(bytes));
      expect(await fixture.store.head("chatkit-attachments/abc.jpg")).toEqual({
        size: 7,
        contentType: "image/jpeg",
      });
    });

    it("answers null for absent keys and deletes idempotently", async () => {
      expect(await fixture.store.get("chatkit-attachments/none.png")).toBeNull();
      expect(await fixture.store.head("chatkit-attachments/none.png")).toBeNull();
      await fixture.store.put("chatkit-attachments/x.pdf", new Uint8Array([1]), {
        contentType: "application/pdf",
      });
      await fixture.store.delete("chatkit-attachments/x.pdf");
      await fixture.store.delete("chatkit-attachments/x.pdf");
      expect(await fixture.store.get("chatkit-attachments/x.pdf")).toBeNull();
    });

    it("overwrites an existing key", async () => {
      await fixture.store.put("chatkit-attachments/o.png", new Uint8Array([1, 2]), {
        contentType: "image/png",
      });
      await fixture.store.put("chatkit-attachments/o.png", new Uint8Array([3]), {
        contentType: "image/webp",
      });
      const blob = await fixture.store.get("chatkit-attachments/o.png");
      expect(Array.from(blob?.bytes ?? [])).toEqual([3]);
      expect(blob?.contentType).toBe("image/webp");
    });

    it("rejects keys that try to leave the store", async () => {
      for (const key of ["../etc/passwd", "/etc/passwd", "chatkit-attachments/../../x", "a//b", ""]) {
        await expect(fixture.store.get(key), key).rejects.toThrow();
      }
    });

    it("localPath, where the store has one, names the file holding the object's bytes", async () => {
      const { localPath } = fixture.store;
      if (!localPath) return; // optional: stores that keep objects elsewhere (S3) leave it out
      const key = "chatkit-attachments/on-disk.jpg";
      expect(existsSync(localPath(key))).toBe(false);
      await fixture.store.put(key, new Uint8Array([4, 5, 6]), { contentType: "image/jpeg" });
      expect(Array.from(readFileSync(localPath(key)))).toEqual([4, 5, 6]);
      if (fixture.root) expect(localPath(key).startsWith(`${fixture.root}/`)).toBe(true);
      await fixture.store.delete(key);
      expect(existsSync(localPath(key))).toBe(false);
      for (const bad of ["../etc/passwd", "/etc/passwd", "chatkit-attachments/../../x", "a//b", ""]) {
        expect(() => localPath(bad), bad).toThrow();
      }
    });

    it("startPut, where the store has one: the pieces joined are the object, visible only once committed", async () => {
      const { startPut } = fixture.store;
      if (!startPut) return; // optional: stores elsewhere (S3) are only ever `put` whole
      const key = "lead-emails/cthr_pieces.eml";
      await fixture.store.put(key, new Uint8Array([9]), { contentType: "text/plain" });
      const writer = await startPut(key, { contentType: "message/rfc822" });
      // Over 8 MB in all, so a store that flushes as it goes does so midway too.
      const pieces = [
        new Uint8Array([1, 2, 3]),
        new Uint8Array(5 << 20).fill(4),
        new Uint8Array(4 << 20).fill(5),
        new Uint8Array([6]),
      ];
      for (const piece of pieces) writer.append(piece);
      // Until the commit, the key still holds what it held.
      expect(await fixture.store.get(key)).toEqual({ bytes: new Uint8Array([9]), contentType: "text/plain" });
      await writer.commit();
      const blob = await fixture.store.get(key);
      expect(blob?.contentType).toBe("message/rfc822");
      expect(Buffer.from(blob?.bytes ?? []).equals(Buffer.concat(pieces))).toBe(true);
      await expect(writer.commit()).rejects.toThrow(/already finished/);
      expect(() => writer.append(new Uint8Array([6]))).toThrow(/already finished/);
    });

    it("startPut, discarded: the key keeps what it held and nothing else is left", async () => {
      const { startPut } = fixture.store;
      if (!startPut) return;
      const key = "lead-emails/cthr_discard.eml";
      await fixture.store.put(key, new Uint8Array([7, 7]), { contentType: "message/rfc822" });
      const before = fixture.root ? snapshot(fixture.root) : null;
      const writer = await startPut(key, { contentType: "message/rfc822" });
      writer.append(new Uint8Array(10_000).fill(1));
      await writer.discard();
      await writer.discard(); // twice is fine
      expect(Array.from((await fixture.store.get(key))?.bytes ?? [])).toEqual([7, 7]);
      if (fixture.root && before) expect(snapshot(fixture.root)).toEqual(before);
      await expect(startPut("../escape.eml", { contentType: "message/rfc822" })).rejects.toThrow();
    });

    describe("with keys that try to leave the store", () => {
      /** A throwaway folder outside the store for absolute keys (and its decoys). */
      let outside: ReturnType<typeof makeTempDir>;
      beforeEach(async () => {
        outside = makeTempDir("blob-contract-outside-");
        await fixture.store.put(KEEP_KEY, new Uint8Array(KEEP_BYTES), { contentType: "image/png" });
      });
      afterEach(() => outside.remove());

      /** The bad keys of this run: the relative ones plus absolute paths into `outside`. */
      const badKeys = (): string[] => [
        ...ESCAPING_KEYS,
        join(outside.dir, "abs.png"),
        join(outside.dir, "chatkit-attachments", "abs.png"),
      ];

      /** Folders whose content must not change: the store's parent (if known) and `outside`. */
      const watched = (): string[] => [outside.dir, ...(fixture.root ? [dirname(fixture.root)] : [])];

      /** Where a key would land if an adapter joined it to its root naively (watched folders only). */
      const targetsOf = (key: string): string[] => {
        const targets = key.startsWith("/") ? [key] : [];
        if (fixture.root) targets.push(resolve(fixture.root, key), join(fixture.root, key));
        return targets.filter((t) => watched().some((dir) => t.startsWith(`${dir}/`)));
      };

      async function expectKeepIntact(): Promise<void> {
        const blob = await fixture.store.get(KEEP_KEY);
        expect(blob?.contentType).toBe("image/png");
        expect(Array.from(blob?.bytes ?? [])).toEqual(KEEP_BYTES);
        expect(await fixture.store.head(KEEP_KEY)).toEqual({
          size: KEEP_BYTES.length,
          contentType: "image/png",
        });
      }

      it("put rejects them and writes nothing anywhere", async () => {
        const before = watched().map(snapshot);
        for (const key of badKeys()) {
          await expect(
            fixture.store.put(key, new Uint8Array([9, 9]), { contentType: "text/plain" }),
            JSON.stringify(key),
          ).rejects.toThrow(Error);
        }
        expect(watched().map(snapshot)).toEqual(before);
        // The legitimate object is untouched and the store still works.
        await expectKeepIntact();
        await fixture.store.put("chatkit-attachments/after.png", new Uint8Array([7]), {
          contentType: "image/png",
        });
        expect(Array.from((await fixture.store.get("chatkit-attachments/after.png"))?.bytes ?? [])).toEqual([
          7,
        ]);
      });

      it("delete rejects them and removes nothing anywhere", async () => {
        // Decoys where a naive adapter would delete: files (and type sidecars) outside the store.
        for (const key of badKeys()) {
          for (const target of targetsOf(key)) {
            if (existsSync(target)) continue;
            mkdirSync(dirname(target), { recursive: true });
            writeFileSync(target, `decoy for ${key}`);
            writeFileSync(`${target}.type`, "text/plain");
          }
        }
        const before = watched().map(snapshot);
        for (const key of badKeys()) {
          await expect(fixture.store.delete(key), JSON.stringify(key)).rejects.toThrow(Error);
        }
        expect(watched().map(snapshot)).toEqual(before);
        // Keys that resolve to the legitimate object did not delete it.
        await expectKeepIntact();
      });

      it("head rejects them too", async () => {
        for (const key of badKeys()) {
          await expect(fixture.store.head(key), JSON.stringify(key)).rejects.toThrow(Error);
        }
      });
    });
  });
}
