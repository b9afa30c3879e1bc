/**
 * Chat latency on embedded defaults (local assistant): median server time to the first SSE text
 * delta and to the assistant's `thread.item.done` for one `threads.add_user_message` on a thread
 * that already holds 40 items, measured on the client over loopback, against the floor of one
 * authenticated JSON round trip (`threads.get_by_id` on a 2-item thread) interleaved in the same run.
 */

import { createLogger } from "../src/entry/logger.js";
import { startTestServer } from "../test/support/test-server.js";
import { seedThread } from "../test/support/threads.js";
import { jsonRequest, streamTurn, userMessage } from "./support/chat-client.js";
import { fortyTurnConversation } from "./support/conversation.js";
import { percentile } from "./support/percentile.js";
import { fixed, median } from "./support/stats.js";

const RUNS = Number(process.env.BENCH_CHAT_RUNS ?? 40);
const WARMUP = 5;
const TARGET_FIRST_DELTA_MS = 20;
/** Limits stay in the request path (as in production) but far above what this bench sends. */
const HIGH_LIMITS = {
  RATE_LIMIT_SESSIONS_PER_IP: "1000000",
  RATE_LIMIT_MESSAGES_PER_USER: "1000000",
  RATE_LIMIT_MESSAGES_PER_IP: "1000000",
};

/** Same as lead-pipeline.ts: each timed run starts on a collected heap when run with --expose-gc. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export async function runChatLatencyBench() {
  console.log(
    `## Chat latency (local assistant, threads.add_user_message on a 40-item thread, loopback, ${RUNS} runs)`,
  );
  // Real logging (pino to /dev/null) so the figure includes what production pays per request.
  const server = await startTestServer(HIGH_LIMITS, {}, createLogger("info", "/dev/null"));
  try {
    const visitor = await server.session();
    const start = Date.now() - 3_600_000;
    const smallThread = "cthr_small";
    await seedThread(
      server.services.threads,
      smallThread,
      [
        { role: "assistant", text: "Hi! What can we help you with today?", at: start },
        { role: "user", text: "the driver seat on my 2012 Honda Civic is torn", at: start + 1000 },
      ],
      visitor.userId,
    );
    let threadNo = 0;
    /** Seeds a fresh 40-item thread (not timed), then times one turn on it, read to the end. */
    const turnOnce = async () => {
      const threadId = `cthr_latency${threadNo++}`;
      await seedThread(server.services.threads, threadId, fortyTurnConversation(start, []), visitor.userId);
      collectGarbage();
      const turn = await streamTurn(
        server.baseUrl,
        visitor.secret,
        userMessage(threadId, "one more thing, the headliner is sagging a bit too, can you fix that?"),
      );
      if (
        turn.status !== 200 ||
        turn.errorEvents > 0 ||
        turn.firstDeltaMs === null ||
        turn.assistantDoneMs === null
      )
        throw new Error(`turn failed: ${JSON.stringify(turn)}`);
      const items = await server.services.threads.countItems(threadId);
      if (items !== 42) throw new Error(`expected 42 items after the turn, found ${items}`);
      return { firstDeltaMs: turn.firstDeltaMs, doneMs: turn.assistantDoneMs };
    };
    const floorOnce = async () => {
      collectGarbage();
      const answer = await jsonRequest(server.baseUrl, visitor.secret, {
        type: "threads.get_by_id",
        params: { thread_id: smallThread },
      });
      if (answer.status !== 200) throw new Error(`threads.get_by_id answered ${answer.status}`);
      return answer.ms;
    };
    for (let i = 0; i < WARMUP; i++) {
      await turnOnce();
      await floorOnce();
    }
    // Interleaved, so the turn and its floor see the same machine conditions.
    const firstDelta: number[] = [];
    const done: number[] = [];
    const floor: number[] = [];
    let sameRead = 0;
    for (let i = 0; i < RUNS; i++) {
      const turn = await turnOnce();
      firstDelta.push(turn.firstDeltaMs);
      done.push(turn.doneMs);
      if (turn.doneMs === turn.firstDeltaMs) sameRead++;
      floor.push(await floorOnce());
    }
    const d = median(firstDelta);
    const t = median(done);
    const f = median(floor);
    console.log(
      `first text delta: median ${fixed(d, 2)} ms, p90 ${fixed(percentile(firstDelta, 90), 2)} ms | assistant thread.item.done: median ${fixed(t, 2)} ms, p90 ${fixed(percentile(done, 90), 2)} ms | floor (threads.get_by_id on a 2-item thread, JSON): median ${fixed(f, 2)} ms, p90 ${fixed(percentile(floor, 90), 2)} ms | first delta ${fixed(d / f, 2)}x the floor | runs ${RUNS} after ${WARMUP} warm-up`,
    );
    // The local assistant streams without delays, so the rest of the reply often arrives with the
    // first delta; say how often, so equal medians are not mistaken for a measuring error.
    console.log(
      `the assistant's done arrived in the same body read as its first delta in ${sameRead}/${RUNS} runs`,
    );
    console.log(
      `target: first delta under ${TARGET_FIRST_DELTA_MS} ms -> ${d < TARGET_FIRST_DELTA_MS ? "MET" : "NOT MET"} (median ${fixed(d, 2)} ms; p90 ${fixed(percentile(firstDelta, 90), 2)} ms)`,
    );
    return { firstDeltaMs: d, doneMs: t, floorMs: f };
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runChatLatencyBench();
