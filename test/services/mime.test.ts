import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { composeLeadEmail } from "../../src/core/email/compose.js";
import { base64LinesLength, buildMime, writeBase64Lines } from "../../src/services/mime.js";
import { sampleEmailInput, samplePhoto } from "../support/lead-email.js";

/** 57 input bytes make one 76-character line; the encoder works in slices of 1,024 lines. */
const SLICE = 57 * 1024;

/** Sizes around every boundary the sliced encoder has: padding, a line, a slice, several slices. */
const SIZES = [
  0,
  1,
  2,
  3,
  56,
  57,
  58,
  SLICE - 1,
  SLICE,
  SLICE + 1,
  SLICE + 57,
  2 * SLICE - 2,
  3 * SLICE + 1_000,
  2_500_001,
];

/** The previous encoder's output: the whole photo as one base64 string, cut into CRLF lines of 76. */
function wholeStringBase64Lines(bytes: Uint8Array): Buffer {
  return Buffer.from(
    Buffer.from(bytes)
      .toString("base64")
      .replace(/.{76}(?=.)/g, "$&\r\n"),
    "latin1",
  );
}

function photoOf(size: number, seed: number): Uint8Array {
  return samplePhoto(seed, size).bytes.subarray(0, size);
}

/** A lead email with one inline JPEG photo of each size. */
function emailWithPhotos(sizes: number[]) {
  return composeLeadEmail(
    sampleEmailInput({
      attachments: sizes.map((size, i) => ({
        name: `photo-${i}.jpg`,
        mimeType: "image/jpeg",
        url: "https://x.example/p",
        inline: { ...samplePhoto(i), bytes: photoOf(size, i) },
        note: null,
      })),
    }),
  );
}

describe("sliced base64 encoder", () => {
  it.each(SIZES)("writes %i bytes exactly as the whole-string encoder did", (size) => {
    const bytes = photoOf(size, size % 7);
    const expected = wholeStringBase64Lines(bytes);
    expect(base64LinesLength(size)).toBe(expected.length);
    // Written into the middle of a larger buffer, so an overrun on either side would show.
    const out = Buffer.alloc(expected.length + 10, 0x2e);
    const end = writeBase64Lines(out, 5, bytes);
    expect(end).toBe(5 + expected.length);
    expect(out.subarray(5, end).equals(expected)).toBe(true);
    expect(out.subarray(0, 5).toString()).toBe(".....");
    expect(out.subarray(end).toString()).toBe(".....");
  });

  it("builds the same MIME bytes as nodemailer's own encoder for multi-slice photos", async () => {
    const sizes = [SLICE, SLICE + 1, 2 * SLICE - 2, 1_000_003, 2_500_001];
    const email = emailWithPhotos(sizes);
    const options = { date: new Date("2025-01-02T03:04:05Z"), baseBoundary: "fixed" };
    const sliced = await buildMime(email, options);
    const reference = await buildMime(email, { ...options, fastBase64: false });
    expect(sliced.equals(reference)).toBe(true);
    const parsed = await simpleParser(sliced, { skipImageLinks: true });
    expect(parsed.attachments.map((a) => a.content.length)).toEqual(sizes);
    for (const [i, a] of parsed.attachments.entries())
      expect(a.content.equals(Buffer.from(email.inline[i]?.bytes ?? []))).toBe(true);
  });
});

describe("buildMime pieces (onPiece)", () => {
  const options = { date: new Date("2025-01-02T03:04:05Z"), baseBoundary: "fixed" };

  /** Runs buildMime, keeping every piece it hands over (copied at once, so later reuse would show). */
  async function withPieces(email: ReturnType<typeof composeLeadEmail>, fastBase64 = true) {
    const pieces: Buffer[] = [];
    const raw = await buildMime(email, {
      ...options,
      fastBase64,
      onPiece: (piece) => pieces.push(Buffer.from(piece)),
    });
    return { raw, pieces };
  }

  it("hands over the whole message in order, in pieces of at least 1 MB but the last", async () => {
    const sizes = [2_500_001, 57, 2_400_000, 1_000_003];
    const email = emailWithPhotos(sizes);
    const { raw, pieces } = await withPieces(email);
    expect(Buffer.concat(pieces).equals(raw)).toBe(true);
    expect(raw.equals(await buildMime(email, options))).toBe(true);
    expect(pieces.length).toBeGreaterThan(5);
    for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(1 << 20);
  });

  it("a message without photos, or built by nodemailer alone, is one piece", async () => {
    const plain = composeLeadEmail(sampleEmailInput({ attachments: [] }));
    const { raw, pieces } = await withPieces(plain);
    expect(pieces).toHaveLength(1);
    expect(pieces[0]?.equals(raw)).toBe(true);

    const withPhoto = composeLeadEmail(
      sampleEmailInput({
        attachments: [
          {
            name: "p.jpg",
            mimeType: "image/jpeg",
            url: "https://x.example/p",
            inline: samplePhoto(1),
            note: null,
          },
        ],
      }),
    );
    const slow = await withPieces(withPhoto, false);
    expect(slow.pieces).toHaveLength(1);
    expect(slow.pieces[0]?.equals(slow.raw)).toBe(true);
  });
});
