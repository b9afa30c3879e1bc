import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFsBlobStore } from "../../src/adapters/fs/blob-store.js";
import { createSharpImageShrinker } from "../../src/adapters/sharp/image-shrinker.js";
import type { BlobStore } from "../../src/ports/blob-store.js";
import type { ImageShrinker } from "../../src/ports/image-shrinker.js";
import { silentLogger } from "../../src/ports/logger.js";
import { type LoadLeadAttachmentsOptions, loadLeadAttachments } from "../../src/services/lead-photos.js";
import { makeJpeg, makePng } from "../support/images.js";
import { makeTempDir } from "../support/temp-dir.js";

const BASE = "http://127.0.0.1:8787/api/attachments";
const line = (name: string, mime: string, key: string, base = BASE) =>
  `Attachment: ${name} (${mime}) ${base}?id=${key}`;

describe("loadLeadAttachments", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let options: LoadLeadAttachmentsOptions;
  beforeEach(() => {
    temp = makeTempDir();
    options = {
      blobs: createFsBlobStore({ root: join(temp.dir, "blobs") }),
      shrinker: createSharpImageShrinker(),
      logger: silentLogger,
      previewBaseUrl: BASE,
      inlineMaxBytes: 100_000,
      inlineBudgetBytes: 10_000_000,
      maxEdge: 1600,
    };
  });
  afterEach(() => temp.remove());

  it("inlines small photos as they are and downscales large ones", async () => {
    const small = await makePng(40, 30);
    const large = await makeJpeg(400_000);
    await options.blobs.put("chatkit-attachments/s.png", small, { contentType: "image/png" });
    await options.blobs.put("chatkit-attachments/l.jpg", large, { contentType: "image/jpeg" });
    const text = [
      line("s.png", "image/png", "chatkit-attachments/s.png"),
      line("l.jpg", "image/jpeg", "chatkit-attachments/l.jpg"),
    ].join("\n");
    const [a, b] = await loadLeadAttachments(text, options);
    expect(Buffer.from(a?.inline?.bytes ?? []).equals(small)).toBe(true);
    expect(a?.inline?.contentType).toBe("image/png");
    expect(b?.inline?.contentType).toBe("image/jpeg");
    expect(b?.inline?.bytes.byteLength).toBeLessThan(large.byteLength);
    expect(new Set([a?.inline?.cid, b?.inline?.cid]).size).toBe(2);
  });

  it("keeps as links: foreign URLs, missing files, non-images, undecodable images and photos over the budget", async () => {
    const photo = await makePng(400, 300);
    await options.blobs.put("chatkit-attachments/ok.png", photo, { contentType: "image/png" });
    await options.blobs.put("chatkit-attachments/bad.jpg", new Uint8Array(200_000).fill(7), {
      contentType: "image/jpeg",
    });
    await options.blobs.put("chatkit-attachments/doc.pdf", new Uint8Array([37, 80, 68, 70]), {
      contentType: "application/pdf",
    });
    const text = [
      line("evil.jpg", "image/jpeg", "chatkit-attachments/ok.png", "https://evil.example/api/attachments"),
      line("gone.jpg", "image/jpeg", "chatkit-attachments/gone.jpg"),
      line("quote.pdf", "application/pdf", "chatkit-attachments/doc.pdf"),
      line("bad.jpg", "image/jpeg", "chatkit-attachments/bad.jpg"),
      line("ok.png", "image/png", "chatkit-attachments/ok.png"),
      line("again.png", "image/png", "chatkit-attachments/ok.png"),
    ].join("\n");
    const result = await loadLeadAttachments(text, { ...options, inlineBudgetBytes: photo.byteLength + 10 });
    expect(result.map((a) => [a.name, a.inline !== null, a.note])).toEqual([
      ["evil.jpg", false, "not from this site's upload store, so not loaded"],
      ["gone.jpg", false, "file no longer stored"],
      ["quote.pdf", false, null],
      ["bad.jpg", false, "could not be shown inline"],
      ["ok.png", true, null],
      ["again.png", false, "left out of the email to keep it small enough to deliver"],
    ]);
    expect(result.every((a) => a.url.startsWith("http"))).toBe(true);
  });

  it("downscales a photo on local disk from its path (never read into memory) and from bytes elsewhere", async () => {
    const large = await makeJpeg(400_000);
    await options.blobs.put("chatkit-attachments/l.jpg", large, { contentType: "image/jpeg" });
    const text = line("l.jpg", "image/jpeg", "chatkit-attachments/l.jpg");
    const sources: string[] = [];
    const gets: string[] = [];
    const shrinker: ImageShrinker = {
      shrink: (source, o) => {
        sources.push(source instanceof Uint8Array ? "bytes" : source.path);
        return options.shrinker.shrink(source, o);
      },
    };
    const local = options.blobs;
    const get = (key: string) => {
      gets.push(key);
      return local.get(key);
    };
    const counting: BlobStore = { ...local, get };
    const [fromPath] = await loadLeadAttachments(text, { ...options, blobs: counting, shrinker });
    // A store without localPath (S3) hands the shrinker the bytes.
    const { localPath: _, ...remote } = counting;
    const [fromBytes] = await loadLeadAttachments(text, { ...options, blobs: remote, shrinker });
    expect(sources).toEqual([local.localPath?.("chatkit-attachments/l.jpg"), "bytes"]);
    expect(gets).toEqual(["chatkit-attachments/l.jpg"]);
    expect(
      Buffer.from(fromPath?.inline?.bytes ?? []).equals(Buffer.from(fromBytes?.inline?.bytes ?? [])),
    ).toBe(true);
    expect(fromPath?.inline?.contentType).toBe("image/jpeg");
  });

  it("reads the photos that go inline as they are at once, as many as fit the budget, and the rest in turn", async () => {
    const photo = await makePng(40, 30);
    const names = ["a", "b", "c", "d"];
    for (const name of names)
      await options.blobs.put(`chatkit-attachments/${name}.png`, photo, { contentType: "image/png" });
    let inFlight = 0;
    const started: number[] = [];
    const slowGet = async (key: string) => {
      started.push(++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      return options.blobs.get(key);
    };
    const text = names.map((n) => line(`${n}.png`, "image/png", `chatkit-attachments/${n}.png`)).join("\n");
    const budget = photo.byteLength * 3;
    const result = await loadLeadAttachments(text, {
      ...options,
      blobs: { ...options.blobs, get: slowGet },
      inlineBudgetBytes: budget,
    });
    // Three fit the budget and are read together; the fourth is read at its turn and left out.
    expect(started).toEqual([1, 2, 3, 1]);
    expect(result.map((a) => a.inline !== null)).toEqual([true, true, true, false]);
    expect(result[3]?.note).toBe("left out of the email to keep it small enough to deliver");
    expect(result.every((a) => a.inline === null || Buffer.from(a.inline.bytes).equals(photo))).toBe(true);
  });
});
