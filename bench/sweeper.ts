/**
 * The lead sweeper's pass cost: 10,000 stored threads of which 10 are due (target under 50 ms on
 * the embedded default). Baseline in the same run: what a pass would cost if it had to look at
 * every stored thread's lead row instead of querying the due list.
 */
import { join } from "node:path";
import { createFsBlobStore } from "../src/adapters/fs/blob-store.js";
import { createLocalSummarizer } from "../src/adapters/local/summarizer.js";
import { createOutboxMailer } from "../src/adapters/outbox/mailer.js";
import { createSharpImageShrinker } from "../src/adapters/sharp/image-shrinker.js";
import { createSqliteAttributionStore } from "../src/adapters/sqlite/attribution-store.js";
import { openSqliteDatabase } from "../src/adapters/sqlite/database.js";
import { createSqliteLeadStore } from "../src/adapters/sqlite/lead-store.js";
import { createSqliteThreadStore } from "../src/adapters/sqlite/thread-store.js";
import { silentLogger } from "../src/ports/logger.js";
import { createLeadHandoffService } from "../src/services/lead-handoff.js";
import { createLeadSweeper } from "../src/services/lead-sweeper.js";
import { makeTempDir } from "../test/support/temp-dir.js";
import { readyConversation, seedThread } from "../test/support/threads.js";
import { fixed, median } from "./support/stats.js";

const THREADS = Number(process.env.BENCH_SWEEP_THREADS ?? 10_000);
const DUE = 10;
const ROUNDS = Number(process.env.BENCH_SWEEP_ROUNDS ?? 7);
const IDLE_MS = 300_000;

export async function runSweeperBench(): Promise<void> {
  const temp = makeTempDir("lead-handoff-sweep-");
  const db = openSqliteDatabase({ path: join(temp.dir, "bench.sqlite") });
  const threads = createSqliteThreadStore({ db });
  const store = createSqliteLeadStore({ db });
  let now = Date.parse("2026-12-01T12:00:00Z");
  const clock = { now: () => now };
  const handoff = createLeadHandoffService({
    threads,
    leads: store,
    attribution: createSqliteAttributionStore({ db }),
    blobs: createFsBlobStore({ root: join(temp.dir, "blobs") }),
    summarizer: createLocalSummarizer({ defaultRegion: "US" }),
    mailer: createOutboxMailer({ dir: join(temp.dir, "outbox") }),
    shrinker: createSharpImageShrinker(),
    smsLinks: { create: async () => "https://example.com/sms/x" },
    clock,
    logger: silentLogger,
    idleDelayMs: IDLE_MS,
    requireIdleForAll: false,
    dedupeTtlDays: 30,
    inlineMaxBytes: 3_000_000,
    previewBaseUrl: "http://127.0.0.1/api/attachments",
    defaultRegion: "US",
    emailFrom: "leads@example.com",
    emailTo: ["owner@example.com"],
  });
  const sweeper = createLeadSweeper({ handoff, store, clock, logger: silentLogger });

  // 10,000 quiet threads already handled (scheduled far ahead: a follow-up check, say).
  const seed = db.transaction((count: number) => {
    for (let i = 0; i < count; i++) void store.schedule(`cthr_idle_${i}`, now + 30 * 86_400_000);
  });
  seed(THREADS - DUE);
  const quiet: number[] = [];
  const sending: number[] = [];
  const scans: number[] = [];
  const noContact = (start: number) => [
    { role: "user" as const, text: "Do you do boat seats? Just looking for now.", at: start },
  ];
  for (let round = 0; round < ROUNDS; round++) {
    // Ten conversations fall due that need no email (no contact): the pass's own cost.
    for (let i = 0; i < DUE; i++) {
      const id = `cthr_quiet_${round}_${i}`;
      await seedThread(threads, id, noContact(now - IDLE_MS - 60_000));
      await store.schedule(id, now - 1);
    }
    let started = performance.now();
    await sweeper.runOnce();
    quiet.push(performance.now() - started);
    // Ten ready conversations fall due: the pass also sends their ten emails to the outbox.
    for (let i = 0; i < DUE; i++) {
      const id = `cthr_due_${round}_${i}`;
      await seedThread(threads, id, readyConversation(now - IDLE_MS - 60_000));
      await store.schedule(id, now - 1);
    }
    started = performance.now();
    const report = await sweeper.runOnce();
    sending.push(performance.now() - started);
    if (report.sent !== DUE) throw new Error(`expected ${DUE} emails, the pass sent ${report.sent}`);
    // Baseline: one read per stored thread, as a pass without the due list would need.
    started = performance.now();
    for (let i = 0; i < THREADS - DUE; i++) await store.get(`cthr_idle_${i}`);
    scans.push(performance.now() - started);
    now += 60_000;
  }
  db.close();
  temp.remove();
  const pass = median(quiet);
  const scan = median(scans);
  console.log(`sweeper: ${THREADS} stored threads, ${DUE} due, ${ROUNDS} rounds (medians)`);
  console.log(
    `  pass, ${DUE} due without contact (query + ${DUE} decisions): ${fixed(pass)} ms (target < 50 ms)`,
  );
  console.log(
    `  pass, ${DUE} due and ready (sends ${DUE} emails to the outbox): ${fixed(median(sending))} ms`,
  );
  console.log(
    `  baseline, reading every stored lead row instead: ${fixed(scan)} ms (x${fixed(scan / pass, 1)} the pass)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await runSweeperBench();
