/**
 * Peak RSS (VmHWM) of a fresh process while it sends one lead email with 10 photos of 8 MB each:
 * as `npm start` runs it now (compiled, `MALLOC_ARENA_MAX=1` and V8's young generation capped as
 * scripts/start.sh and the Dockerfile set them, photos downscaled from their files), the same
 * under tsx, and the baseline as it ran before (tsx, glibc's default arenas and V8's own young
 * generation, every photo read into a buffer first). Medians of fresh processes, the variants
 * taking turns.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createFsBlobStore } from "../src/adapters/fs/blob-store.js";
import { makeJpeg } from "../test/support/images.js";
import { makeTempDir } from "../test/support/temp-dir.js";
import { compileForNode } from "./support/compile.js";
import { fixed, median } from "./support/stats.js";

const RUNS = Number(process.env.BENCH_RSS_RUNS ?? 3);
const CHILD = "bench/support/send-ten-photos.ts";
/** What `npm start` (scripts/start.sh) and the Dockerfile give the server. */
const LAUNCH_ENV = { MALLOC_ARENA_MAX: "1", NODE_OPTIONS: "--max-semi-space-size=4" };
/** The targets, in MB. */
export const RSS_TARGET_MB = { compiled: 150, tsx: 180 } as const;

interface Variant {
  name: string;
  args: string[];
  env: Record<string, string>;
}

interface Run {
  lead_reason: string;
  ms: number;
  peakBeforeMb: number;
  peakMb: number;
}

function runChild(variant: Variant, dataDir: string, keys: string[]): Run {
  // Each run sends into a fresh outbox and database; the photos stay.
  for (const name of ["outbox", "lead-handoff.sqlite", "lead-handoff.sqlite-wal", "lead-handoff.sqlite-shm"])
    rmSync(join(dataDir, name), { recursive: true, force: true });
  rmSync(join(dataDir, "blobs/lead-emails"), { recursive: true, force: true });
  const { MALLOC_ARENA_MAX: _, NODE_OPTIONS: __, ...env } = process.env;
  const out = execFileSync(process.execPath, [...variant.args, ...keys], {
    env: { ...env, ...variant.env, DATA_DIR: dataDir },
    encoding: "utf8",
  });
  const line = out.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`no result from the child:\n${out}`);
  const run = JSON.parse(line.slice(7)) as Run;
  if (run.lead_reason !== "sent") throw new Error(`expected sent, got ${run.lead_reason}`);
  if (readdirSync(join(dataDir, "outbox")).length !== 1) throw new Error("expected one email in the outbox");
  return run;
}

export interface PeakRssResult {
  compiledMb: number;
  tsxMb: number;
  beforeMb: number;
}

export async function runPeakRssBench(): Promise<PeakRssResult> {
  console.log(
    `## Peak RSS while sending an email with 10 photos of 8 MB each (median of ${RUNS} fresh processes)`,
  );
  const compiled = await compileForNode(CHILD, "send-ten-photos");
  const variants: Variant[] = [
    { name: "now, compiled (as npm start runs it)", args: [compiled], env: LAUNCH_ENV },
    { name: "now, under tsx", args: ["--import", "tsx", CHILD], env: LAUNCH_ENV },
    {
      name: "before: tsx, default arenas, photos read into buffers",
      args: ["--import", "tsx", CHILD],
      env: { PHOTOS_AS_BUFFERS: "1" },
    },
  ];
  const temp = makeTempDir("lead-rss-");
  try {
    const blobs = createFsBlobStore({ root: join(temp.dir, "blobs") });
    const keys: string[] = [];
    for (let i = 0; i < 10; i++) {
      const key = `chatkit-attachments/rss${i}.jpg`;
      await blobs.put(key, await makeJpeg(8_000_000, 100 + i), { contentType: "image/jpeg" });
      keys.push(key);
    }
    const runs = variants.map(() => [] as Run[]);
    for (let i = 0; i < RUNS; i++)
      for (const [v, variant] of variants.entries()) runs[v]?.push(runChild(variant, temp.dir, keys));
    const peaks = runs.map((list) => median(list.map((r) => r.peakMb)));
    const [compiledMb, tsxMb, beforeMb] = peaks as [number, number, number];
    for (const [v, variant] of variants.entries()) {
      const list = runs[v] ?? [];
      const peak = peaks[v] as number;
      console.log(
        `  ${variant.name.padEnd(54)} peak ${fixed(peak, 0).padStart(4)} MB (${fixed(peak / beforeMb, 2)}x before) | before the send ${fixed(median(list.map((r) => r.peakBeforeMb)), 0)} MB | send ${fixed(median(list.map((r) => r.ms)), 0)} ms`,
      );
    }
    const verdict = (mb: number, target: number) =>
      `${mb <= target ? "MET" : "NOT MET"} (${fixed(mb, 0)} MB)`;
    console.log(
      `target: <= ${RSS_TARGET_MB.compiled} MB compiled -> ${verdict(compiledMb, RSS_TARGET_MB.compiled)}, <= ${RSS_TARGET_MB.tsx} MB under tsx -> ${verdict(tsxMb, RSS_TARGET_MB.tsx)}`,
    );
    return { compiledMb, tsxMb, beforeMb };
  } finally {
    temp.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runPeakRssBench();
