/**
 * Lead pipeline on embedded defaults: median time from POST /lead to the outbox file written, and
 * the minor page faults it costs, for a 40-turn thread with 3 photos, with the outbox and the blob
 * store as `npm start` has them (each email flushed to disk before the lead is marked sent) and
 * without the flush. The
 * floors are the same photo bytes read, base64-encoded into CRLF lines and written to a new file,
 * without and with the flush (fdatasync and the folder's fsync), each measured back to back.
 */
import { mkdirSync, readdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createFsBlobStore } from "../src/adapters/fs/blob-store.js";
import { createOutboxMailer } from "../src/adapters/outbox/mailer.js";
import type { AttachmentRef } from "../src/core/chat/transcript.js";
import { createLogger } from "../src/entry/logger.js";
import { base64LinesLength, writeBase64Lines } from "../src/services/mime.js";
import { makeJpeg } from "../test/support/images.js";
import { makeTempDir } from "../test/support/temp-dir.js";
import { startTestServer, type TestServer } from "../test/support/test-server.js";
import { seedThread } from "../test/support/threads.js";
import { fortyTurnConversation } from "./support/conversation.js";
import { fixed, median } from "./support/stats.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 3;
/** The issue's targets for the 2.5 MB case: ms without and with the flush, faults per request. */
export const PIPELINE_TARGETS = { noFsyncMs: 35, fsyncMs: 45, faults: 100 } as const;
/**
 * The floors the issue measured next to those targets, in ms: on a busier machine (or disk) every
 * figure is slower, so the bench also scales each target by this run's floor.
 */
export const ISSUE_FLOORS = { floorMs: 7, durableFloorMs: 16 } as const;

/** The targets scaled to this run's floors. */
export function scaledPipelineTargets(floorMs: number, durableFloorMs: number) {
  return {
    noFsyncMs: (PIPELINE_TARGETS.noFsyncMs * floorMs) / ISSUE_FLOORS.floorMs,
    fsyncMs: (PIPELINE_TARGETS.fsyncMs * durableFloorMs) / ISSUE_FLOORS.durableFloorMs,
  };
}

/**
 * Starts each timed run on a collected heap (needs `node --expose-gc`, as `npm run bench` does), so
 * no run pays for garbage an earlier one left behind.
 */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function minorFaults(): number {
  return process.resourceUsage().minorPageFault;
}

async function uploadPhotos(server: TestServer, bytesEach: number, userId: string): Promise<AttachmentRef[]> {
  const refs: AttachmentRef[] = [];
  for (let i = 0; i < 3; i++) {
    const photo = await makeJpeg(bytesEach, 10 + i);
    const d = await server.services.attachments.upload({ bytes: photo, name: `photo-${i + 1}.jpg`, userId });
    refs.push({ id: d.id, name: d.name, mime_type: d.mime_type, type: d.type, preview_url: d.preview_url });
  }
  return refs;
}

interface Timing {
  ms: number[];
  faults: number[];
  sizes: number[];
}

/**
 * A server over a fresh DATA_DIR whose outbox and blob store (the prepared copy) flush to disk, as
 * under `npm start`, or not, with its photos uploaded.
 */
async function startPipeline(bytesEach: number, fsync: boolean) {
  const outbox = makeTempDir("lead-outbox-");
  const blobs = makeTempDir("lead-blobs-");
  // Real logging (pino to a file) so the figure includes what production pays per request.
  const server = await startTestServer(
    {},
    {
      mailer: createOutboxMailer({ dir: outbox.dir, fsync }),
      blobs: createFsBlobStore({ root: blobs.dir, flush: fsync }),
    },
    createLogger("info", "/dev/null"),
  );
  const visitor = await server.session();
  const photos = await uploadPhotos(server, bytesEach, visitor.userId);
  const start = Date.now() - 3_600_000;
  let threadNo = 0;
  const timing: Timing = { ms: [], faults: [], sizes: [] };
  return {
    timing,
    /** Seeds a fresh ready thread (not timed), then times only POST /lead until its answer. */
    async sendOnce(): Promise<void> {
      const threadId = `cthr_bench${threadNo++}`;
      await seedThread(
        server.services.threads,
        threadId,
        fortyTurnConversation(start, photos),
        visitor.userId,
      );
      collectGarbage();
      const faults = minorFaults();
      const t0 = performance.now();
      const response = await fetch(`${server.baseUrl}/lead`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${visitor.secret}` },
        body: JSON.stringify({ thread_id: threadId, reason: "chat_closed" }),
      });
      const body = (await response.json()) as { lead_reason: string };
      timing.ms.push(performance.now() - t0);
      timing.faults.push(minorFaults() - faults);
      // The outbox mailer writes the .eml before /lead answers, so the answer marks the file written.
      if (body.lead_reason !== "sent") throw new Error(`expected sent, got ${JSON.stringify(body)}`);
      const written = readdirSync(outbox.dir).filter((f) => f.endsWith(".eml"));
      if (written.length !== 1) throw new Error(`expected one email in the outbox, found ${written.length}`);
      const path = join(outbox.dir, written[0] as string);
      timing.sizes.push(statSync(path).size);
      // The .eml is a second name of the prepared copy, which stays (as in production): removing
      // the name only keeps the folder to one file to check.
      unlinkSync(path);
    },
    async close(): Promise<void> {
      await server.close();
      outbox.remove();
      blobs.remove();
    },
  };
}

/**
 * The pipeline's figures for one photo size, per outbox mode. The modes run on servers started
 * together and take turns request by request, so neither profits from the order (the memory a
 * finished run gives back makes the next one's first writes cheaper on this machine).
 */
async function measurePipelines(bytesEach: number, modes: boolean[]): Promise<Timing[]> {
  const pipelines: Awaited<ReturnType<typeof startPipeline>>[] = [];
  try {
    for (const fsync of modes) pipelines.push(await startPipeline(bytesEach, fsync));
    for (let i = 0; i < WARMUP; i++) for (const p of pipelines) await p.sendOnce();
    for (const p of pipelines) for (const list of Object.values(p.timing)) list.length = 0;
    for (let i = 0; i < RUNS; i++) for (const p of pipelines) await p.sendOnce();
    return pipelines.map((p) => p.timing);
  } finally {
    for (const p of pipelines) await p.close();
  }
}

/**
 * The least the pipeline must do with the photos, back to back: read them, encode them as the
 * email's base64 lines into one buffer, write it to a new file; `durable` also flushes the file
 * (fdatasync) and its folder. The files stay until the last run, as the prepared copies do: a
 * file removed right away hands its memory straight to the next one, which then writes about ten
 * times faster on this machine than into pages it has not touched yet (2 against 20 ms for 10 MB).
 */
async function measureFloor(bytesEach: number, durable: boolean): Promise<number[]> {
  const temp = makeTempDir("lead-floor-");
  const dir = join(temp.dir, "out");
  mkdirSync(dir);
  try {
    // The same photos the pipeline sends (makeJpeg is deterministic).
    const blobPaths: string[] = [];
    for (let i = 0; i < 3; i++) {
      blobPaths.push(join(temp.dir, `photo-${i + 1}.jpg`));
      writeFileSync(blobPaths[i] as string, await makeJpeg(bytesEach, 10 + i));
    }
    const once = async (n: number): Promise<number> => {
      collectGarbage();
      const t0 = performance.now();
      const photos = await Promise.all(blobPaths.map((path) => readFile(path)));
      const out = Buffer.allocUnsafe(photos.reduce((sum, p) => sum + base64LinesLength(p.byteLength), 0));
      let at = 0;
      for (const photo of photos) at = writeBase64Lines(out, at, photo);
      const path = join(dir, `${n}.eml`);
      const file = await open(path, "wx");
      for (let written = 0; written < out.byteLength; )
        written += (await file.write(out, written, out.byteLength - written)).bytesWritten;
      if (durable) await file.datasync();
      await file.close();
      if (durable) {
        const folder = await open(dir, "r");
        await folder.sync();
        await folder.close();
      }
      return performance.now() - t0;
    };
    for (let i = 0; i < WARMUP; i++) await once(-1 - i);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await once(i));
    return times;
  } finally {
    temp.remove();
  }
}

export interface LeadPipelineResult {
  noFsyncMs: number;
  fsyncMs: number;
  faults: number;
  floorMs: number;
  durableFloorMs: number;
}

export async function runLeadPipelineBench(): Promise<LeadPipelineResult> {
  console.log(`## Lead pipeline (40-turn thread, 3 photos, embedded defaults; medians of ${RUNS})`);
  const line = (label: string, t: Timing, floor: number, floorName: string) =>
    console.log(
      `  ${label.padEnd(46)} ${fixed(median(t.ms)).padStart(6)} ms (${fixed(median(t.ms) / floor, 2)}x the ${floorName}) | minor faults ${fixed(median(t.faults), 0)} | email ${fixed(median(t.sizes) / 1e6, 2)} MB`,
    );
  const [inline, inlineNoFsync] = (await measurePipelines(2_500_000, [true, false])) as [Timing, Timing];
  const floor = median(await measureFloor(2_500_000, false));
  const durableFloor = median(await measureFloor(2_500_000, true));
  console.log(
    `3 x 2.5 MB photos, inlined as they are. Floors, back to back: read + encode + write ${fixed(floor)} ms; durable (+ fdatasync + folder fsync) ${fixed(durableFloor)} ms`,
  );
  line("POST /lead -> .eml flushed (npm start's outbox)", inline, durableFloor, "durable floor");
  line("POST /lead -> .eml written, no flush", inlineNoFsync, floor, "floor");
  const [shrunk] = (await measurePipelines(8_000_000, [true])) as [Timing];
  console.log("3 x 8 MB photos, downscaled to 1600 px (sharp, one at a time):");
  line("POST /lead -> .eml flushed (npm start's outbox)", shrunk, durableFloor, "2.5 MB durable floor");

  const result: LeadPipelineResult = {
    noFsyncMs: median(inlineNoFsync.ms),
    fsyncMs: median(inline.ms),
    faults: Math.max(median(inline.faults), median(inlineNoFsync.faults)),
    floorMs: floor,
    durableFloorMs: durableFloor,
  };
  const t = PIPELINE_TARGETS;
  const met = (ok: boolean) => (ok ? "MET" : "NOT MET");
  console.log(
    `target (2.5 MB case): <= ${t.noFsyncMs} ms without the flush -> ${met(result.noFsyncMs <= t.noFsyncMs)} (${fixed(result.noFsyncMs)} ms), <= ${t.fsyncMs} ms with it -> ${met(result.fsyncMs <= t.fsyncMs)} (${fixed(result.fsyncMs)} ms), < ${t.faults} minor faults per request -> ${met(result.faults < t.faults)} (${fixed(result.faults, 0)})`,
  );
  const scaled = scaledPipelineTargets(floor, durableFloor);
  console.log(
    `scaled to this run's floors (the issue's: ${ISSUE_FLOORS.floorMs} and ${ISSUE_FLOORS.durableFloorMs} ms): <= ${fixed(scaled.noFsyncMs)} ms without the flush -> ${met(result.noFsyncMs <= scaled.noFsyncMs)}, <= ${fixed(scaled.fsyncMs)} ms with it -> ${met(result.fsyncMs <= scaled.fsyncMs)}`,
  );
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) await runLeadPipelineBench();
