import { writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { createSharpImageShrinker } from "../../../src/adapters/sharp/image-shrinker.js";
import { ValidationError } from "../../../src/core/errors.js";
import { makeTempDir } from "../../support/temp-dir.js";

/** A 4000x3000 noise photo, stored sideways with EXIF orientation 6 (rotate 90° to view) and metadata. */
async function sidewaysPhoto(): Promise<Buffer> {
  return sharp({
    create: {
      width: 4000,
      height: 3000,
      channels: 3,
      background: "#808080",
      noise: { type: "gaussian", mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 85 })
    .withMetadata({
      orientation: 6,
      exif: { IFD0: { Make: "PhoneCo", Model: "Camera 9", Copyright: "Maria" } },
    })
    .toBuffer();
}

describe("sharp image shrinker", () => {
  const shrinker = createSharpImageShrinker();

  it("applies the EXIF orientation, caps the long edge and strips all metadata", async () => {
    const input = await sidewaysPhoto();
    const before = await sharp(input).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif).toBeDefined();

    const out = await shrinker.shrink(input, { maxEdge: 1600 });
    expect(out.contentType).toBe("image/jpeg");
    // Displayed upright the photo is portrait: 3000x4000 -> 1200x1600.
    expect([out.width, out.height]).toEqual([1200, 1600]);
    const after = await sharp(out.bytes).metadata();
    expect(after.format).toBe("jpeg");
    expect([after.width, after.height]).toEqual([1200, 1600]);
    expect(after.exif).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(out.bytes.byteLength).toBeLessThan(input.byteLength);
  });

  it("never enlarges a small image", async () => {
    const small = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#336699" } })
      .png()
      .toBuffer();
    const out = await shrinker.shrink(small, { maxEdge: 1600 });
    expect([out.width, out.height]).toEqual([300, 200]);
    expect(out.contentType).toBe("image/jpeg");
  });

  it("flattens transparency onto white", async () => {
    const clear = await sharp({
      create: { width: 40, height: 40, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const out = await shrinker.shrink(clear, { maxEdge: 1600 });
    const { data } = await sharp(out.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(245);
    expect((await sharp(out.bytes).metadata()).hasAlpha).toBe(false);
  });

  it("accepts a Uint8Array view into a larger buffer", async () => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#aa0000" } })
      .png()
      .toBuffer();
    const padded = new Uint8Array(png.length + 20);
    padded.set(png, 10);
    const out = await shrinker.shrink(padded.subarray(10, 10 + png.length), { maxEdge: 32 });
    expect([out.width, out.height]).toEqual([32, 24]);
  });

  it("reads a file by path: the same copy as from its bytes", async () => {
    const temp = makeTempDir("shrink-path-");
    try {
      const input = await sidewaysPhoto();
      const path = join(temp.dir, "photo.jpg");
      writeFileSync(path, input);
      const fromPath = await shrinker.shrink({ path }, { maxEdge: 1600 });
      const fromBytes = await shrinker.shrink(input, { maxEdge: 1600 });
      expect([fromPath.width, fromPath.height]).toEqual([1200, 1600]);
      expect(Buffer.from(fromPath.bytes).equals(Buffer.from(fromBytes.bytes))).toBe(true);
      const text = join(temp.dir, "not-a-photo.jpg");
      writeFileSync(text, "%PDF-1.7 definitely not a photo");
      await expect(shrinker.shrink({ path: text }, { maxEdge: 1600 })).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(
        shrinker.shrink({ path: join(temp.dir, "gone.jpg") }, { maxEdge: 1600 }),
      ).rejects.toBeInstanceOf(ValidationError);
    } finally {
      temp.remove();
    }
  });

  it("throws a ValidationError for bytes that are not an image", async () => {
    const text = new TextEncoder().encode("%PDF-1.7 definitely not a photo");
    await expect(shrinker.shrink(text, { maxEdge: 1600 })).rejects.toBeInstanceOf(ValidationError);
  });

  it("refuses images above the pixel limit", async () => {
    const limited = createSharpImageShrinker({ maxInputPixels: 1000 });
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    await expect(limited.shrink(png, { maxEdge: 1600 })).rejects.toThrow(/pixel/i);
  });

  it("rejects nonsense options", async () => {
    expect(() => createSharpImageShrinker({ quality: 0 })).toThrow(RangeError);
    await expect(shrinker.shrink(new Uint8Array(1), { maxEdge: 0 })).rejects.toThrow(RangeError);
  });
});
