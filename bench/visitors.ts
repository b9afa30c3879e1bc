/**
 * 50 concurrent simulated visitors against the real server in its own process: each gets a session,
 * opens a thread with a first message and sends 9 more, reading every SSE stream to the end. Reports
 * answered turns, errors, turn latency percentiles, wall time and turns per second, against one lone
 * visitor's turn latency measured on the same server in the same run.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { newSession, streamTurn, userMessage } from "./support/chat-client.js";
import { percentile } from "./support/percentile.js";
import { fixed, median } from "./support/stats.js";

const VISITORS = Number(process.env.BENCH_VISITORS ?? 50);
const TURNS = 10;

const VEHICLES = [
  "2012 Honda Civic",
  "2016 Ford F-150",
  "2009 Toyota Camry",
  "2018 Jeep Wrangler",
  "2014 Subaru Outback",
];
const NAMES = ["Maria Lopez", "James Carter", "Priya Patel", "Tom Nguyen", "Ana Ruiz"];

/** A realistic 10-message upholstery intake for visitor `n` (its own phone 512-555-01xx). */
export function visitorMessages(n: number): string[] {
  const vehicle = VEHICLES[n % VEHICLES.length] as string;
  const name = NAMES[n % NAMES.length] as string;
  const phone = `512-555-01${String(n % 100).padStart(2, "0")}`;
  return [
    `Hi, the driver seat on my ${vehicle} has a torn seam`,
    "it's the bolster on the left side, about 4 inches long",
    "original cloth seat, it started small and got worse over the winter",
    "I took a few photos of it, I can send them over",
    "does that sound fixable? I'd rather repair than replace",
    "are you open on saturdays?",
    "I'm in south Austin, would you need the car all day?",
    `my name is ${name}`,
    `best number is ${phone}, text is best`,
    "thanks, talk soon!",
  ];
}

/** One answered or failed turn of one visitor. */
interface TurnOutcome {
  ok: boolean;
  /** Request start to the end of the stream (client clock). */
  ms: number;
  firstDeltaMs: number | null;
  failure?: "non-2xx" | "error event" | "no assistant done" | "request failed";
  /** What the failure said (the error event's message, the HTTP status or the exception). */
  message?: string;
  /** 0 for threads.create, 1-9 for the add_user_message turns. */
  index: number;
}

/** Runs one visitor's whole conversation; stops at the first failure that leaves no thread to talk to. */
async function runVisitor(baseUrl: string, n: number): Promise<TurnOutcome[]> {
  const outcomes: TurnOutcome[] = [];
  let secret: string;
  try {
    secret = await newSession(baseUrl);
  } catch {
    return [
      { ok: false, ms: 0, firstDeltaMs: null, failure: "request failed", message: "no session", index: 0 },
    ];
  }
  let threadId: string | null = null;
  for (const text of visitorMessages(n)) {
    try {
      const turn = await streamTurn(baseUrl, secret, userMessage(threadId, text));
      threadId ??= turn.threadId;
      const failure =
        turn.status < 200 || turn.status > 299
          ? "non-2xx"
          : turn.errorEvents > 0
            ? "error event"
            : turn.assistantDoneMs === null
              ? "no assistant done"
              : undefined;
      const index = outcomes.length;
      const message = turn.errorMessage ?? `HTTP ${turn.status}`;
      outcomes.push({
        ok: !failure,
        ms: turn.endMs,
        firstDeltaMs: turn.firstDeltaMs,
        index,
        ...(failure ? { failure, message } : {}),
      });
    } catch (error) {
      outcomes.push({
        ok: false,
        ms: 0,
        firstDeltaMs: null,
        failure: "request failed",
        message: String(error),
        index: outcomes.length,
      });
    }
    if (threadId === null) break; // threads.create failed: nothing to add messages to
  }
  return outcomes;
}

async function startServer(): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/support/serve-chat.ts"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const match = /^READY (\d+)/.exec(line);
    if (match) return { child, baseUrl: `http://127.0.0.1:${match[1]}` };
  }
  throw new Error("bench/support/serve-chat.ts exited before it was ready");
}

export async function runVisitorsBench() {
  console.log(
    `## ${VISITORS} concurrent visitors x ${TURNS} turns (local assistant, server in its own process, loopback)`,
  );
  console.log(
    "note: every visitor comes from 127.0.0.1, so the server runs with RATE_LIMIT_SESSIONS_PER_IP=0, RATE_LIMIT_MESSAGES_PER_IP=0 and RATE_LIMIT_MESSAGES_PER_USER=0 (limits off)",
  );
  const { child, baseUrl } = await startServer();
  try {
    // One lone visitor to warm up, then another as the baseline: the same turns without contention.
    await runVisitor(baseUrl, 99);
    const lone = await runVisitor(baseUrl, 98);
    if (lone.length !== TURNS || lone.some((turn) => !turn.ok))
      throw new Error(`the lone visitor failed: ${JSON.stringify(lone)}`);
    const loneMs = lone.map((turn) => turn.ms);

    const t0 = performance.now();
    const all = (
      await Promise.all(Array.from({ length: VISITORS }, (_, n) => runVisitor(baseUrl, n)))
    ).flat();
    const wallMs = performance.now() - t0;

    const expected = VISITORS * TURNS;
    const answered = all.filter((turn) => turn.ok);
    const failures = new Map<string, number>();
    for (const turn of all)
      if (turn.failure) failures.set(turn.failure, (failures.get(turn.failure) ?? 0) + 1);
    const notSent = expected - all.length;
    const errors = all.length - answered.length;
    const latency = answered.map((turn) => turn.ms);
    const firstDelta = answered.flatMap((turn) => (turn.firstDeltaMs === null ? [] : [turn.firstDeltaMs]));
    const messages = [...new Set(all.flatMap((turn) => (turn.message ? [turn.message] : [])))].slice(0, 3);
    const detail = [...failures].map(([kind, count]) => `${count} ${kind}`).join(", ");
    const firstTurns = answered.filter((turn) => turn.index === 0).map((turn) => turn.ms);
    const laterTurns = answered.filter((turn) => turn.index > 0).map((turn) => turn.ms);
    console.log(
      `turns answered: ${answered.length} / ${expected} | errors: ${errors}${detail ? ` (${detail})` : ""}${notSent ? ` | ${notSent} turns never sent (their thread failed)` : ""}`,
    );
    if (messages.length > 0)
      console.log(`error messages: ${messages.map((m) => JSON.stringify(m)).join(" | ")}`);
    console.log(
      `turn latency (request -> stream end): p50 ${fixed(percentile(latency, 50))} ms, p99 ${fixed(percentile(latency, 99))} ms, max ${fixed(Math.max(...latency))} ms | first delta p50 ${fixed(percentile(firstDelta, 50))} ms | lone visitor (same server, same run): median ${fixed(median(loneMs))} ms, max ${fixed(Math.max(...loneMs))} ms`,
    );
    console.log(
      `split: threads.create turns (all ${VISITORS} visitors arriving at once) p50 ${fixed(percentile(firstTurns, 50))} ms, max ${fixed(Math.max(...firstTurns))} ms | add_user_message turns p50 ${fixed(percentile(laterTurns, 50))} ms, p99 ${fixed(percentile(laterTurns, 99))} ms, max ${fixed(Math.max(...laterTurns))} ms`,
    );
    console.log(
      `total wall time ${fixed(wallMs / 1000, 2)} s | ${fixed(answered.length / (wallMs / 1000))} turns/s`,
    );
    return {
      answered: answered.length,
      expected,
      errors,
      p50Ms: percentile(latency, 50),
      p99Ms: percentile(latency, 99),
      maxMs: Math.max(...latency),
      wallMs,
      turnsPerSecond: answered.length / (wallMs / 1000),
    };
  } finally {
    child.kill("SIGTERM");
    // Bounded: a child that does not close within 5 s is killed outright.
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
    clearTimeout(timer);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runVisitorsBench();
