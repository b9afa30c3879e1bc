import sharp from "sharp";
import { ValidationError } from "../../core/errors.js";
import type { ImageShrinker, ImageSource, ShrunkImage } from "../../ports/image-shrinker.js";

/** Options of {@link createSharpImageShrinker}. */
export interface SharpImageShrinkerOptions {
  /**
   * JPEG quality of the inline copy (1-100).
   * @default 82
   */
  quality?: number;
  /**
   * Images with more pixels than this are refused (the caller links them instead). It covers 108 MP
   * phone photos; JPEGs are decoded at a reduced scale anyway, so memory stays far below this.
   * @default 120_000_000
   */
  maxInputPixels?: number;
  /**
   * Give up on one image after this many seconds (a pathological file must not hold the lead).
   * @default 30
   */
  timeoutSeconds?: number;
}

/**
 * libvips defaults are tuned for throughput: a thread per core and an operation cache. We shrink a
 * few photos per lead one at a time, so one thread and no cache keep peak memory low and flat.
 */
function configureSharpForLowMemory(): void {
  sharp.concurrency(1);
  sharp.cache(false);
}

/**
 * Makes inline-sized copies of customer photos with sharp: orientation applied from EXIF, then ALL
 * metadata dropped (EXIF with GPS position, XMP, ICC after conversion to sRGB), long edge capped at
 * `maxEdge` without enlarging. The output is always JPEG: an image with transparency (PNG, WebP,
 * GIF) is flattened onto white, the background of the lead email, so every inline copy has one
 * small, universally supported type. Only the first frame of an animation is kept.
 *
 * HEIC photos decode only where libvips has an HEVC decoder (the prebuilt sharp has none); like
 * any undecodable input they throw a ValidationError, and the caller links the file instead.
 */
export function createSharpImageShrinker(options: SharpImageShrinkerOptions = {}): ImageShrinker {
  const quality = options.quality ?? 82;
  const maxInputPixels = options.maxInputPixels ?? 120_000_000;
  const timeoutSeconds = options.timeoutSeconds ?? 30;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new RangeError(`quality must be an integer from 1 to 100, got ${quality}`);
  }
  configureSharpForLowMemory();

  return {
    async shrink(source: ImageSource, { maxEdge }: { maxEdge: number }): Promise<ShrunkImage> {
      if (!Number.isInteger(maxEdge) || maxEdge < 1) {
        throw new RangeError(`maxEdge must be a positive integer, got ${maxEdge}`);
      }
      // A path: libvips reads the file in pieces as it decodes, so no 8 MB buffer waits for the GC.
      // Bytes: a view, not a copy.
      const input =
        source instanceof Uint8Array
          ? Buffer.from(source.buffer, source.byteOffset, source.byteLength)
          : source.path;
      try {
        const { data, info } = await sharp(input, {
          autoOrient: true,
          failOn: "error", // tolerate the warnings phones' encoders often trigger; refuse broken data
          limitInputPixels: maxInputPixels,
          sequentialRead: true,
          pages: 1,
        })
          .resize({ width: maxEdge, height: maxEdge, fit: "inside", withoutEnlargement: true })
          .flatten({ background: "#ffffff" })
          .jpeg({ quality })
          .timeout({ seconds: timeoutSeconds })
          .toBuffer({ resolveWithObject: true });
        return { bytes: data, contentType: "image/jpeg", width: info.width, height: info.height };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ValidationError(`image could not be shrunk: ${reason}`, {
          cause: error,
          code: "undecodable_image",
        });
      }
    },
  };
}
