import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BlobStore } from "../../src/ports/blob-store.js";

/** What a BlobStore contract run needs from an adapter. */
export interface BlobStoreFixture {
  store: BlobStore;
  teardown(): Promise<void>;
}

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
  });
}
