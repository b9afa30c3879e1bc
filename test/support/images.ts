import sharp from "sharp";

/** A real JPEG of roughly `targetBytes` (random noise compresses badly, so size tracks pixels). */
export async function makeJpeg(targetBytes: number, seed = 1): Promise<Buffer> {
  // Noise JPEG at q=90 is about 0.82 bytes per pixel; pick a 4:3 size that lands near the target.
  const pixels = Math.max(64 * 48, Math.round(targetBytes / 0.82));
  const width = Math.round(Math.sqrt((pixels * 4) / 3));
  const height = Math.round((width * 3) / 4);
  const raw = Buffer.alloc(width * height * 3);
  let state = seed * 2654435761;
  for (let i = 0; i < raw.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    raw[i] = state >>> 24;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A small valid PNG. */
export async function makePng(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .png()
    .toBuffer();
}
