/** Peak RSS of a fresh process while it sends one lead email with 10 photos of 8 MB each. */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createFsBlobStore } from "../src/adapters/fs/blob-store.js";
import { makeJpeg } from "../test/support/images.js";
import { makeTempDir } from "../test/support/temp-dir.js";
import { fixed } from "./support/stats.js";

export async function runPeakRssBench() {
  console.log("## Peak RSS while sending an email with 10 photos of 8 MB each");
  const temp = makeTempDir("lead-rss-");
  try {
    const blobs = createFsBlobStore({ root: join(temp.dir, "blobs") });
    const keys: string[] = [];
    for (let i = 0; i < 10; i++) {
      const key = `chatkit-attachments/rss${i}.jpg`;
      await blobs.put(key, await makeJpeg(8_000_000, 100 + i), { contentType: "image/jpeg" });
      keys.push(key);
    }
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "bench/support/send-ten-photos.ts", ...keys],
      {
        env: { ...process.env, DATA_DIR: temp.dir },
        encoding: "utf8",
      },
    );
    const line = out.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line) throw new Error(`no result from the child:\n${out}`);
    const r = JSON.parse(line.slice(7)) as {
      lead_reason: string;
      ms: number;
      peakBeforeMb: number;
      peakMb: number;
    };
    if (r.lead_reason !== "sent") throw new Error(`expected sent, got ${r.lead_reason}`);
    const eml = readdirSync(join(temp.dir, "outbox")).length;
    console.log(
      `peak RSS ${fixed(r.peakMb, 0)} MB (process peak before the send ${fixed(r.peakBeforeMb, 0)} MB) | send took ${fixed(r.ms, 0)} ms | emails written ${eml}`,
    );
    console.log(`target: under 300 MB -> ${r.peakMb < 300 ? "MET" : "NOT MET"}`);
    return r;
  } finally {
    temp.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runPeakRssBench();
