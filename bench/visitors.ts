/**
 * A burst of new visitors: 50 concurrent simulated visitors against the server as `npm start` runs
 * it (scripts/start.sh: the compiled server, built first when stale) in its own process. Each gets
 * a session, opens a thread with a first message and sends 9 more, reading every SSE stream to the
 * end. Reports answered turns, errors, turn latency percentiles,
 * turns per second, and the CPU the server and this process (the load generator) spent, apart:
 * both share the machine's cores, so a hungry load generator would slow the server it measures.
 *
 * Each round runs the burst twice on fresh servers, once as the product runs (`HTTP_ADMISSION=fifo`)
 * and once with the admission step off (the baseline, same run), alternating which goes first;
 * the figures are medians over the rounds.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, openSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { setTimeout } from "node:timers/promises";
import { makeTempDir } from "../test/support/temp-dir.js";
import { newSession, streamTurn, userMessage } from "./support/chat-client.js";
import { percentile } from "./support/percentile.js";
import { fixed, median } from "./support/stats.js";

const VISITORS = Number(process.env.BENCH_VISITORS ?? 50);
/** Rounds; each runs the burst once per admission mode, each on a fresh server. */
const ROUNDS = Number(process.env.BENCH_VISITOR_ROUNDS ?? 5);
const TURNS = 10;

/** The issue's targets for the burst. */
const TARGET = { p99Ms: 400, maxMs: 450, turnsPerSecond: 190, cpuMsPerTurn: 2.5, stretchP99Ms: 200 };

type Admission = "fifo" | "off";

/**
 * `npm start`'s launcher. It becomes the server (exec), so its pid is the server's, and it gives it
 * what the Dockerfile does too: one malloc arena and V8's young generation capped at 4 MB
 * semi-spaces. The server's CPU depends on both (the young generation's size sets how often, and
 * how much, the scavenger works).
 */
const LAUNCHER = join(import.meta.dirname, "../scripts/start.sh");

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

/**
 * CPU time (user + system, ms) a process has spent so far, all its threads, from /proc/<pid>/stat
 * (Linux); with `thread`, that thread's alone (/proc/<pid>/task/<tid>/stat).
 */
function processCpuMs(pid: number, thread?: number): number {
  const stat = readFileSync(thread ? `/proc/${pid}/task/${thread}/stat` : `/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}
/** `getconf CLK_TCK`: 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** This process's CPU time (user + system, ms) so far. */
function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The server in its own process: its pid (for its CPU time) and where it listens. */
interface ServerProcess {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
}

/**
 * The server as `npm start` runs it ({@link LAUNCHER}) on a fresh DATA_DIR, limits off (one
 * loopback IP), no sweeper passes. Its log (pino, info) goes to a file, as it would to a log
 * collector: read through a pipe by this process it would stall on the load generator, which is
 * busy making the load.
 */
async function startServer(admission: Admission): Promise<{ server: ServerProcess; remove: () => void }> {
  const temp = makeTempDir("lead-handoff-visitors-");
  const logPath = join(temp.dir, "server.log");
  const log = openSync(logPath, "w");
  const child = spawn("sh", [LAUNCHER], {
    env: {
      ...process.env,
      npm_node_execpath: process.execPath, // as npm sets it
      PORT: "0",
      DATA_DIR: join(temp.dir, "data"),
      LOG_LEVEL: "info",
      HTTP_ADMISSION: admission,
      RATE_LIMIT_MESSAGES_PER_IP: "0",
      RATE_LIMIT_MESSAGES_PER_USER: "0",
      RATE_LIMIT_SESSIONS_PER_IP: "0",
      LEAD_SWEEP_INTERVAL_SECONDS: "0",
    },
    stdio: ["ignore", log, "pipe"],
  });
  closeSync(log);
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const remove = () => temp.remove();
  const deadline = performance.now() + 60_000;
  while (true) {
    const ready = /"url":"http:\/\/localhost:(\d+)"[^\n]*lead-handoff ready/.exec(
      readFileSync(logPath, "utf8"),
    );
    if (ready) {
      const server = { child, pid: child.pid as number, baseUrl: `http://127.0.0.1:${ready[1]}` };
      // The first widget request reads the prebuilt file: done here, so it never overlaps.
      await (await fetch(`${server.baseUrl}/widget.js`)).arrayBuffer();
      return { server, remove };
    }
    if (child.exitCode !== null || performance.now() > deadline) {
      child.kill("SIGKILL");
      remove();
      throw new Error(`the server did not get ready (exit ${child.exitCode}): ${stderr}`);
    }
    await setTimeout(20);
  }
}

async function stopServer(server: ServerProcess): Promise<void> {
  const { child } = server;
  child.kill("SIGTERM");
  // Bounded: a child that does not close within 5 s is killed outright.
  const timer = globalThis.setTimeout(() => child.kill("SIGKILL"), 5_000);
  if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
  clearTimeout(timer);
}

/** One burst on a fresh server: what the visitors saw, and the CPU each side spent during it. */
interface Burst {
  admission: Admission;
  answered: number;
  expected: number;
  errors: number;
  /** "3 non-2xx, ..." and the first few messages, when anything failed. */
  failureDetail: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  firstDeltaP50Ms: number;
  /** The threads.create turns (every visitor arriving at once). */
  createP50Ms: number;
  createMaxMs: number;
  wallMs: number;
  turnsPerSecond: number;
  serverCpuMs: number;
  /**
   * The server's main thread alone (requests, SQLite, the assistant); the rest of `serverCpuMs` is
   * V8's helper threads (optimizing compiler, garbage collector) and libuv's (log writes).
   */
  serverMainThreadCpuMs: number;
  loadCpuMs: number;
  /** One lone visitor's turns on the same server before the burst. */
  loneMedianMs: number;
  /** The machine's 1-minute load average when the burst started (other work shares the cores). */
  loadAverage: number;
}

async function runBurst(admission: Admission): Promise<Burst> {
  const { server, remove } = await startServer(admission);
  try {
    const { pid } = server;
    // One lone visitor to warm up, then another: the same turns without contention.
    await runVisitor(server.baseUrl, 99);
    const lone = await runVisitor(server.baseUrl, 98);
    if (lone.length !== TURNS || lone.some((turn) => !turn.ok))
      throw new Error(`the lone visitor failed: ${JSON.stringify(lone)}`);

    const loadAverage = loadavg()[0] as number;
    const serverCpu0 = processCpuMs(pid);
    const mainThreadCpu0 = processCpuMs(pid, pid);
    const loadCpu0 = ownCpuMs();
    const t0 = performance.now();
    const all = (
      await Promise.all(Array.from({ length: VISITORS }, (_, n) => runVisitor(server.baseUrl, n)))
    ).flat();
    const wallMs = performance.now() - t0;
    const loadCpuMs = ownCpuMs() - loadCpu0;
    const serverCpuMs = processCpuMs(pid) - serverCpu0;
    const serverMainThreadCpuMs = processCpuMs(pid, pid) - mainThreadCpu0;

    const expected = VISITORS * TURNS;
    const answered = all.filter((turn) => turn.ok);
    const failures = new Map<string, number>();
    for (const turn of all)
      if (turn.failure) failures.set(turn.failure, (failures.get(turn.failure) ?? 0) + 1);
    const notSent = expected - all.length;
    const messages = [...new Set(all.flatMap((turn) => (turn.message ? [turn.message] : [])))].slice(0, 3);
    const failureDetail = [
      [...failures].map(([kind, count]) => `${count} ${kind}`).join(", "),
      notSent ? `${notSent} turns never sent (their thread failed)` : "",
      messages.length ? `messages: ${messages.map((m) => JSON.stringify(m)).join(" | ")}` : "",
    ]
      .filter(Boolean)
      .join("; ");
    const latency = answered.map((turn) => turn.ms);
    const firstDelta = answered.flatMap((turn) => (turn.firstDeltaMs === null ? [] : [turn.firstDeltaMs]));
    const creates = answered.filter((turn) => turn.index === 0).map((turn) => turn.ms);
    return {
      admission,
      answered: answered.length,
      expected,
      errors: all.length - answered.length,
      failureDetail,
      p50Ms: percentile(latency, 50),
      p99Ms: percentile(latency, 99),
      maxMs: Math.max(...latency),
      firstDeltaP50Ms: percentile(firstDelta, 50),
      createP50Ms: percentile(creates, 50),
      createMaxMs: Math.max(...creates),
      wallMs,
      turnsPerSecond: answered.length / (wallMs / 1000),
      serverCpuMs,
      serverMainThreadCpuMs,
      loadCpuMs,
      loneMedianMs: median(lone.map((turn) => turn.ms)),
      loadAverage,
    };
  } finally {
    await stopServer(server);
    remove();
  }
}

/** The medians of a set of bursts of one mode. */
function medians(bursts: readonly Burst[]) {
  const of = (pick: (burst: Burst) => number) => median(bursts.map(pick));
  return {
    p50Ms: of((b) => b.p50Ms),
    p99Ms: of((b) => b.p99Ms),
    maxMs: of((b) => b.maxMs),
    turnsPerSecond: of((b) => b.turnsPerSecond),
    serverCpuMsPerTurn: of((b) => b.serverCpuMs / b.answered),
    mainThreadCpuMsPerTurn: of((b) => b.serverMainThreadCpuMs / b.answered),
    /** Share of one core the server used during the burst. */
    serverCpuShare: of((b) => b.serverCpuMs / b.wallMs),
    loadCpuMsPerTurn: of((b) => b.loadCpuMs / b.answered),
    loadCpuShare: of((b) => b.loadCpuMs / b.wallMs),
    firstDeltaP50Ms: of((b) => b.firstDeltaP50Ms),
    createP50Ms: of((b) => b.createP50Ms),
    createMaxMs: of((b) => b.createMaxMs),
    loneMedianMs: of((b) => b.loneMedianMs),
    answered: Math.min(...bursts.map((b) => b.answered)),
    errors: bursts.reduce((sum, b) => sum + b.errors, 0),
  };
}

const met = (ok: boolean) => (ok ? "MET" : "NOT MET");

/**
 * Runs the burst bench and answers its report, one line per string (nothing is printed but a
 * progress line per burst on stderr). Alone: `npx tsx bench/visitors.ts`.
 */
export async function runVisitorsBench(): Promise<string[]> {
  const bursts: Burst[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order: Admission[] = round % 2 === 0 ? ["off", "fifo"] : ["fifo", "off"];
    for (const admission of order) {
      const burst = await runBurst(admission);
      bursts.push(burst);
      process.stderr.write(
        `visitors: round ${round + 1}/${ROUNDS} admission ${admission}: p99 ${fixed(burst.p99Ms)} ms, max ${fixed(burst.maxMs)} ms, ${fixed(burst.turnsPerSecond)} turns/s, server CPU ${fixed(burst.serverCpuMs / burst.answered, 2)} ms/turn (main thread ${fixed(burst.serverMainThreadCpuMs / burst.answered, 2)})${burst.errors ? `, ${burst.errors} errors` : ""}\n`,
      );
    }
  }
  const fifo = medians(bursts.filter((b) => b.admission === "fifo"));
  const off = medians(bursts.filter((b) => b.admission === "off"));
  const expected = VISITORS * TURNS;
  const ratio = (a: number, b: number) => `${fixed(a / b, 2)}x`;
  const row = (name: string, m: typeof fifo) =>
    `${name.padEnd(26)} p50 ${fixed(m.p50Ms).padStart(6)} ms | p99 ${fixed(m.p99Ms).padStart(7)} ms | max ${fixed(m.maxMs).padStart(7)} ms | ${fixed(m.turnsPerSecond).padStart(5)} turns/s | server CPU ${fixed(m.serverCpuMsPerTurn, 2)} ms/turn (${fixed(m.serverCpuShare * 100, 0)}% of a core; main thread ${fixed(m.mainThreadCpuMsPerTurn, 2)}) | load generator CPU ${fixed(m.loadCpuMsPerTurn, 2)} ms/turn (${fixed(m.loadCpuShare * 100, 0)}%)`;
  const lines = [
    `## A burst of new visitors: ${VISITORS} concurrent visitors x ${TURNS} turns (local assistant, the server as npm start runs it, compiled, in its own process with MALLOC_ARENA_MAX=1 and --max-semi-space-size=4, loopback; medians of ${ROUNDS} bursts per mode, each on a fresh server)`,
    `machine: ${availableParallelism()} cores, 1-minute load average at the bursts' start median ${fixed(median(bursts.map((b) => b.loadAverage)))}, max ${fixed(Math.max(...bursts.map((b) => b.loadAverage)))} (the bench's own earlier bursts count in it; much above the cores, other work shared them)`,
    "note: every visitor comes from 127.0.0.1, so the server runs with RATE_LIMIT_SESSIONS_PER_IP=0, RATE_LIMIT_MESSAGES_PER_IP=0 and RATE_LIMIT_MESSAGES_PER_USER=0 (limits off), and LEAD_SWEEP_INTERVAL_SECONDS=0",
    `turns answered: fifo ${fifo.answered} / ${expected} (worst burst), off ${off.answered} / ${expected} | errors over all bursts: fifo ${fifo.errors}, off ${off.errors}`,
    ...bursts.flatMap((b) => (b.failureDetail ? [`  ${b.admission}: ${b.failureDetail}`] : [])),
    row("FIFO admission (product)", fifo),
    row("admission off (baseline)", off),
    `ratio fifo / off:          p50 ${ratio(fifo.p50Ms, off.p50Ms)} | p99 ${ratio(fifo.p99Ms, off.p99Ms)} | max ${ratio(fifo.maxMs, off.maxMs)} | turns/s ${ratio(fifo.turnsPerSecond, off.turnsPerSecond)} | server CPU/turn ${ratio(fifo.serverCpuMsPerTurn, off.serverCpuMsPerTurn)} (main thread ${ratio(fifo.mainThreadCpuMsPerTurn, off.mainThreadCpuMsPerTurn)})`,
    `split (fifo): threads.create turns (all ${VISITORS} arriving at once) p50 ${fixed(fifo.createP50Ms)} ms, max ${fixed(fifo.createMaxMs)} ms | first delta p50 ${fixed(fifo.firstDeltaP50Ms)} ms | lone visitor (same server, before the burst) median ${fixed(fifo.loneMedianMs)} ms`,
    `split (off):  threads.create turns p50 ${fixed(off.createP50Ms)} ms, max ${fixed(off.createMaxMs)} ms | first delta p50 ${fixed(off.firstDeltaP50Ms)} ms | lone visitor median ${fixed(off.loneMedianMs)} ms`,
    // One line that stands alone (run-all.ts quotes it in its summary of the issue's parts).
    `targets (FIFO admission, medians; x = against admission off in this run): p99 ${fixed(fifo.p99Ms, 0)} ms <= ${TARGET.p99Ms}: ${met(fifo.p99Ms <= TARGET.p99Ms)} (${ratio(fifo.p99Ms, off.p99Ms)}) | max ${fixed(fifo.maxMs, 0)} ms <= ${TARGET.maxMs}: ${met(fifo.maxMs <= TARGET.maxMs)} (${ratio(fifo.maxMs, off.maxMs)}) | ${fixed(fifo.turnsPerSecond, 0)} turns/s >= ${TARGET.turnsPerSecond}: ${met(fifo.turnsPerSecond >= TARGET.turnsPerSecond)} (${ratio(fifo.turnsPerSecond, off.turnsPerSecond)}) | server CPU ${fixed(fifo.serverCpuMsPerTurn, 2)} ms/turn <= ${TARGET.cpuMsPerTurn}: ${met(fifo.serverCpuMsPerTurn <= TARGET.cpuMsPerTurn)} (${ratio(fifo.serverCpuMsPerTurn, off.serverCpuMsPerTurn)}; main thread ${fixed(fifo.mainThreadCpuMsPerTurn, 2)} ms) | stretch p99 <= ${TARGET.stretchP99Ms}: ${met(fifo.p99Ms <= TARGET.stretchP99Ms)}`,
  ];
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`)
  for (const line of await runVisitorsBench()) console.log(line);
