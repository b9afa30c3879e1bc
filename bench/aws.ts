/**
 * The AWS issue's figures:
 * 1. per Lambda bundle: minified size (entry file, all chunks, and what a cold start on AWS loads),
 *    and the cold import time (`await import(bundle)` in a fresh node) against importing
 *    `@aws-sdk/client-dynamodb` alone, medians of interleaved runs in the same run;
 * 2. `POST /lead` on the emulators (DynamoDB + S3 + SES) against the embedded default, medians;
 * 3. 200 concurrent triggers on one thread against the DynamoDB lead store, split over two
 *    servers: how many emails went out (must be 1).
 * Runs `npm run build` first.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { LAMBDA_FUNCTIONS } from "../src/entry/lambda/functions.js";
import {
  awsEnv,
  startDynalite,
  startS3rver,
  type TestDynamoDb,
  type TestS3,
} from "../test/support/aws-emulators.js";
import { outboxEmails } from "../test/support/outbox.js";
import { type RecordingSes, startRecordingSesLocal } from "../test/support/ses-recorder.js";
import { makeTempDir } from "../test/support/temp-dir.js";
import { startTestServer, type TestServer } from "../test/support/test-server.js";
import { readyConversation, seedThread } from "../test/support/threads.js";
import { fixed, median } from "./support/stats.js";

const ROOT = join(import.meta.dirname, "..");
const DIST = join(ROOT, "dist/lambda");
const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 9);
const LEAD_RUNS = Number(process.env.BENCH_LEAD_RUNS ?? 15);
const RECORDER = join(ROOT, "test/support/record-imports.mjs");
const LAMBDA_GLOBALS = ["--import", join(ROOT, "bench/support/lambda-globals.mjs")];
const kb = (bytes: number) => `${fixed(bytes / 1024, 0)} KB`;

/** The env a Lambda has on AWS (no network needed to import: the session key comes from SESSION_SECRET). */
const LAMBDA_ENV = {
  ...process.env,
  ...awsEnv({ dynamodb: "http://127.0.0.1:9", s3: "http://127.0.0.1:9", sesv2: "http://127.0.0.1:9" }),
  STORE: "dynamodb",
  BLOBS: "s3",
  MAILER: "ses",
  ATTACHMENT_BUCKET: "bench",
  SESSION_SECRET: "x".repeat(64),
  LOG_LEVEL: "silent",
};

/** Milliseconds a fresh node takes to import `specifier` (measured inside the child). */
function importMs(specifier: string, env: NodeJS.ProcessEnv = LAMBDA_ENV, nodeArgs: string[] = []): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t)`;
  const out = execFileSync(process.execPath, [...nodeArgs, "--input-type=module", "-e", script], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  });
  return Number(out.trim().split("\n").at(-1));
}

/** Bytes of the bundle's own files a cold start loads. */
function loadedBytes(dir: string, entry: string): number {
  const temp = makeTempDir();
  try {
    const list = join(temp.dir, "imports.txt");
    importMs(entry, { ...LAMBDA_ENV, RECORD_IMPORTS_TO: list }, [...LAMBDA_GLOBALS, "--import", RECORDER]);
    const urls = new Set(
      readFileSync(list, "utf8")
        .split("\n")
        .filter((u) => u.startsWith(pathToFileURL(dir).href)),
    );
    return [...urls].reduce((sum, url) => sum + statSync(new URL(url)).size, 0);
  } finally {
    temp.remove();
  }
}

/** The AWS issue's import target: the lead-email bundle under twice the DynamoDB client alone. */
export const LAMBDA_IMPORT_TARGET_RATIO = 2;

export interface LambdaImportFigures {
  leadEmailMs: number;
  sdkMs: number;
  ratio: number;
}

export async function bundleFigures(): Promise<LambdaImportFigures> {
  // Built every time: the figures are of these sources, not of a dist/ left from before.
  execFileSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], { cwd: ROOT });
  console.log(
    "Lambda bundles (minified ESM; cold import = fresh node, `await import(bundle)`, STORE=dynamodb BLOBS=s3 MAILER=ses)",
  );
  const sdk = import.meta.resolve("@aws-sdk/client-dynamodb");
  const rows: string[] = [];
  const sdkTimes: number[] = [];
  for (const fn of LAMBDA_FUNCTIONS) {
    const dir = join(DIST, fn.name);
    const entry = pathToFileURL(join(dir, "index.mjs")).href;
    const all = readdirSync(dir).filter((f) => f.endsWith(".mjs"));
    const total = all.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    const times: number[] = [];
    for (let i = 0; i < IMPORT_RUNS; i++) {
      times.push(importMs(entry, LAMBDA_ENV, LAMBDA_GLOBALS));
      sdkTimes.push(importMs(sdk));
    }
    rows.push(
      `  ${fn.name.padEnd(26)} index ${kb(statSync(join(dir, "index.mjs")).size).padStart(7)} | all chunks ${kb(total).padStart(7)} | loaded on AWS ${kb(loadedBytes(dir, entry)).padStart(7)} | cold import ${fixed(median(times))} ms`,
    );
    bundleImports.set(fn.name, median(times));
  }
  for (const row of rows) console.log(row);
  const sdkMs = median(sdkTimes);
  console.log(
    `  @aws-sdk/client-dynamodb alone: cold import ${fixed(sdkMs)} ms (median of ${sdkTimes.length})`,
  );
  const lead = bundleImports.get("chatkit-lead-email") ?? 0;
  const ratio = lead / sdkMs;
  console.log(
    `  chatkit-lead-email import / SDK alone: ${fixed(ratio, 2)}x (target < ${LAMBDA_IMPORT_TARGET_RATIO}x) -> ${ratio < LAMBDA_IMPORT_TARGET_RATIO ? "MET" : "NOT MET"}`,
  );
  return { leadEmailMs: lead, sdkMs, ratio };
}
const bundleImports = new Map<string, number>();

interface Backend {
  name: string;
  server: TestServer;
}

async function timeLeads(backends: Backend[]): Promise<void> {
  const times = new Map<string, number[]>(backends.map((b) => [b.name, []]));
  for (let i = 0; i < LEAD_RUNS; i++) {
    for (const [b, { name, server }] of backends.entries()) {
      const { secret, userId } = await server.session();
      const threadId = `cthr_bench_${b}_${i}`;
      await seedThread(server.services.threads, threadId, readyConversation(Date.now() - 600_000), userId);
      const started = performance.now();
      const response = await fetch(`${server.baseUrl}/lead`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({ thread_id: threadId, reason: "manual" }),
      });
      const body = (await response.json()) as { lead_reason: string };
      (times.get(name) as number[]).push(performance.now() - started);
      if (body.lead_reason !== "sent") throw new Error(`${name}: /lead answered ${JSON.stringify(body)}`);
    }
  }
  const embedded = median(times.get("embedded") ?? []);
  console.log(`POST /lead (a ready thread, no photo), median of ${LEAD_RUNS}, interleaved`);
  for (const [name, list] of times)
    console.log(
      `  ${name.padEnd(40)} ${fixed(median(list))} ms  (${fixed(median(list) / embedded, 2)}x embedded)`,
    );
}

async function concurrentTriggers(dynamodb: TestDynamoDb): Promise<void> {
  const env = {
    STORE: "dynamodb",
    SESSION_SECRET: "one-secret-for-both-servers-32-chars-long",
    LOG_LEVEL: "silent",
  };
  const servers = [await startTestServer(env), await startTestServer(env)];
  try {
    const [a, b] = servers as [TestServer, TestServer];
    const { secret, userId } = await a.session();
    await seedThread(a.services.threads, "cthr_burst", readyConversation(Date.now() - 600_000), userId);
    const answers = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const response = await fetch(`${(i % 2 ? b : a).baseUrl}/lead`, {
          method: "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
          body: JSON.stringify({ thread_id: "cthr_burst", reason: "manual" }),
        });
        return ((await response.json()) as { lead_reason: string }).lead_reason;
      }),
    );
    const emails = outboxEmails(a.outboxDir).length + outboxEmails(b.outboxDir).length;
    const counts = Object.entries(
      answers.reduce<Record<string, number>>((acc, r) => {
        acc[r] = (acc[r] ?? 0) + 1;
        return acc;
      }, {}),
    )
      .map(([reason, n]) => `${reason} ${n}`)
      .join(", ");
    console.log(
      `200 concurrent triggers on one thread, two servers over one DynamoDB (dynalite): emails sent ${emails} (${counts})`,
    );
    if (emails !== 1) process.exitCode = 1;
  } finally {
    for (const server of servers) await server.close();
  }
  void dynamodb;
}

/** The AWS issue's figures: the bundles, then the emulators. */
export async function runAwsBench(): Promise<LambdaImportFigures> {
  const imports = await bundleFigures();
  console.log();
  await runAwsEmulatorBench();
  return imports;
}

/** `POST /lead` on the emulators against the embedded default, then the concurrent triggers. */
export async function runAwsEmulatorBench(): Promise<void> {
  let dynamodb: TestDynamoDb | undefined;
  let s3: TestS3 | undefined;
  let ses: RecordingSes | undefined;
  const backends: Backend[] = [];
  try {
    [dynamodb, s3, ses] = await Promise.all([startDynalite(), startS3rver(), startRecordingSesLocal()]);
    Object.assign(process.env, awsEnv({ dynamodb: dynamodb.endpoint, s3: s3.endpoint, sesv2: ses.endpoint }));
    backends.push({ name: "embedded", server: await startTestServer({ LOG_LEVEL: "silent" }) });
    backends.push({
      name: "emulators (dynalite + s3rver + ses-v2-local)",
      server: await startTestServer({
        STORE: "dynamodb",
        BLOBS: "s3",
        MAILER: "ses",
        ATTACHMENT_BUCKET: s3.bucket,
        S3_FORCE_PATH_STYLE: "true",
      }),
    });
    await timeLeads(backends);
    console.log();
    await concurrentTriggers(dynamodb);
  } finally {
    for (const { server } of backends) await server.close();
    await Promise.all([dynamodb?.close(), s3?.close(), ses?.close()]);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runAwsBench();
