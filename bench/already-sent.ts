/**
 * Repeated triggers on an already-sent thread: requests per second of POST /lead against a bare
 * Hono endpoint returning the same JSON, both in their own process, measured in the same run.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { fixed, median } from "./support/stats.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Child {
  child: ChildProcess;
  port: number;
  threadId: string;
  secret: string;
}

async function startChild(script: string): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const match = /^READY (\d+) (\S+) (\S+)/.exec(line);
    if (match) return { child, port: Number(match[1]), threadId: String(match[2]), secret: String(match[3]) };
  }
  throw new Error(`${script} exited before it was ready`);
}

async function rps({ port, threadId, secret }: Child): Promise<number> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/lead`,
    method: "POST",
    // The real request carries the visitor's session, which the server verifies every time.
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    body: JSON.stringify({ thread_id: threadId, reason: "pagehide" }),
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`errors during the run: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

export async function runAlreadySentBench() {
  console.log(
    `## Repeated triggers on an already-sent thread (${ROUNDS} rounds x ${SECONDS} s, ${CONNECTIONS} connections)`,
  );
  const lead = await startChild("bench/support/serve-lead.ts");
  const bare = await startChild("bench/support/serve-bare.ts");
  try {
    const leadRps: number[] = [];
    const bareRps: number[] = [];
    // Alternate so both see the same machine conditions; one short warm-up each first.
    await rps(lead);
    await rps(bare);
    for (let i = 0; i < ROUNDS; i++) {
      leadRps.push(await rps(lead));
      bareRps.push(await rps(bare));
    }
    const l = median(leadRps);
    const b = median(bareRps);
    console.log(
      `POST /lead (already_sent): median ${fixed(l, 0)} req/s | bare Hono endpoint: median ${fixed(b, 0)} req/s | ratio ${fixed(l / b, 2)}`,
    );
    console.log(`target: at least 0.5 of the bare endpoint -> ${l / b >= 0.5 ? "MET" : "NOT MET"}`);
    return { leadRps: l, bareRps: b, ratio: l / b };
  } finally {
    lead.child.kill("SIGTERM");
    bare.child.kill("SIGTERM");
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runAlreadySentBench();
