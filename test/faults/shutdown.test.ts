import { Agent, type Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { SMTPServer } from "smtp-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatKitEvent } from "../../src/core/chat/protocol.js";
import { REPLY_INTERRUPTED_MESSAGE } from "../../src/services/chat.js";
import { type FakeHttpServer, startFakeHttpServer } from "../support/fake-http-server.js";
import { type LogLine, type ServerProcess, startServerProcess } from "../support/server-process.js";
import { joinDeltas, parseSseFrames, readSseEvents } from "../support/sse.js";
import { makeTempDir, type TempDir } from "../support/temp-dir.js";

/**
 * Graceful shutdown of the real server (`node --import tsx src/entry/server.ts`) with real parts: a
 * fake chat-completions server that streams a few deltas and then holds the rest (so a reply is
 * streaming when SIGTERM arrives), an SMTP server that never answers DATA, and the SQLite file
 * read back after the process exited. The grace period is 1 s (SHUTDOWN_GRACE_SECONDS=1).
 */

const GRACE_MS = 1000;

/** Starts the server on a free port (grace 1 s, no sweeper) and waits for its ready line. */
function startServer(dataDir: string, env: Record<string, string>): Promise<ServerProcess> {
  return startServerProcess(dataDir, {
    SHUTDOWN_GRACE_SECONDS: String(GRACE_MS / 1000),
    LEAD_SWEEP_INTERVAL_SECONDS: "0",
    ...env,
  });
}

/** Resolves once `check` holds, polling; fails after `ms`. */
async function until(
  check: () => boolean | Promise<boolean>,
  ms = 10_000,
  what = "condition",
): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A scripted model reply: `before` at once, then (once `release` resolves; never when null) `after` and the end. */
interface HeldReply {
  before: string[];
  after: string[];
  release: Promise<void> | null;
}

function chunk(content: string | null, finish: string | null = null): string {
  const frame = {
    id: "chatcmpl-shutdown",
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model: "gpt-4.1-mini",
    choices: [
      { index: 0, delta: content === null ? {} : { content }, logprobs: null, finish_reason: finish },
    ],
  };
  return `data: ${JSON.stringify(frame)}\n\n`;
}

/** A chat-completions server whose streams stop halfway until the test lets them finish. */
async function startHeldModel(): Promise<FakeHttpServer<HeldReply>> {
  return startFakeHttpServer<HeldReply>(async (request, res, fake) => {
    const reply = fake.nextReply();
    if (request.path !== "/v1/chat/completions" || !reply) {
      res.writeHead(500, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ error: { message: "no reply scripted", type: "server_error" } }));
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write(chunk(""));
    for (const delta of reply.before) res.write(chunk(delta));
    if (!reply.release) return; // hold the stream open forever
    await reply.release;
    for (const delta of reply.after) res.write(chunk(delta));
    res.write(chunk(null, "stop"));
    res.end("data: [DONE]\n\n");
  });
}

/** One HTTP exchange over node:http (so a test can pin a kept-alive connection with an Agent). */
interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  text: () => string;
  /** The SSE events whose frames are complete so far. */
  events: () => ChatKitEvent[];
  /** Resolves once `check` holds for the body so far; fails when the body ends first. */
  waitFor: (check: (events: ChatKitEvent[]) => boolean) => Promise<void>;
  /** Settles when the response is over: `complete` false means the connection broke mid-body. */
  ended: Promise<{ complete: boolean; at: number }>;
}

function send(
  port: number,
  options: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
    agent?: HttpAgent;
  },
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: options.method,
        path: options.path,
        headers: options.headers,
        ...(options.agent ? { agent: options.agent } : {}),
      },
      (res) => {
        let text = "";
        const watchers = new Set<() => void>();
        const events = () => parseSseFrames(text.slice(0, text.lastIndexOf("\n\n") + 2)) as ChatKitEvent[];
        const ended = new Promise<{ complete: boolean; at: number }>((done) => {
          res.on("close", () => {
            done({ complete: res.complete, at: performance.now() });
            for (const watcher of watchers) watcher();
          });
        });
        res.on("error", () => {}); // `close` reports it
        res.setEncoding("utf8");
        res.on("data", (data: string) => {
          text += data;
          for (const watcher of watchers) watcher();
        });
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: () => text,
          events,
          ended,
          waitFor: (check) =>
            new Promise<void>((ok, fail) => {
              const watcher = () => {
                if (check(events())) {
                  watchers.delete(watcher);
                  ok();
                } else if (res.closed) {
                  watchers.delete(watcher);
                  fail(new Error(`the stream ended first: ${text}`));
                }
              };
              watchers.add(watcher);
              watcher();
            }),
        });
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error("request timed out (a hang)")));
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A client secret from the server. */
async function newSession(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/chatkit/session`, { method: "POST" });
  expect(response.status).toBe(200);
  return ((await response.json()) as { client_secret: string }).client_secret;
}

/** Starts a new thread with `text`; the answer is the reply's event stream. */
function createThread(port: number, secret: string, text: string, agent?: HttpAgent): Promise<Exchange> {
  const body = JSON.stringify({
    type: "threads.create",
    params: { input: { content: [{ type: "input_text", text }], attachments: [] } },
  });
  return send(port, {
    method: "POST",
    path: "/api/chatkit",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body,
    ...(agent ? { agent } : {}),
  });
}

/** "refused" when nothing listens on the port any more; "accepted" otherwise. */
function tryConnect(port: number): Promise<"refused" | "accepted"> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve("accepted");
    });
    socket.once("error", () => resolve("refused"));
  });
}

/** The shutdown's summary line. */
function summaryOf(logs: LogLine[]): LogLine | undefined {
  return logs.find((line) => typeof line.streams_ended === "number");
}

/** The thread's id from its `thread.created` event. */
function threadIdOf(events: ChatKitEvent[]): string {
  const created = events.find((event) => event.type === "thread.created");
  if (created?.type !== "thread.created") throw new Error("no thread.created event");
  return created.thread.id;
}

// Each test starts the server (a restart too, in the last one): slow on a busy machine.
describe("graceful shutdown (SIGTERM to the real server)", { timeout: 90_000 }, () => {
  let temp: TempDir;
  const cleanups: Array<() => unknown> = [];
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    temp.remove();
  });

  /** Starts the server and makes sure the test never leaves it running. */
  async function server(env: Record<string, string>): Promise<ServerProcess> {
    const running = await startServer(join(temp.dir, "data"), env);
    cleanups.push(() => {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill("SIGKILL");
    });
    return running;
  }

  async function heldModel(): Promise<FakeHttpServer<HeldReply>> {
    const model = await startHeldModel();
    cleanups.push(() => model.close());
    return model;
  }

  function openAiEnv(model: FakeHttpServer<HeldReply>): Record<string, string> {
    return { ASSISTANT: "openai", OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${model.origin}/v1` };
  }

  it("a reply still streaming after the grace period ends with an error event; its partial text is kept; exit 1", async () => {
    const model = await heldModel();
    model.enqueue({ before: ["Sorry about ", "the seat! ", "What year "], after: ["is it?"], release: null });
    const running = await server(openAiEnv(model));
    const secret = await newSession(running.port);
    const stream = await createThread(running.port, secret, "The driver seat of my Civic is torn");
    expect(stream.status).toBe(200);
    await stream.waitFor((events) => joinDeltas(events) === "Sorry about the seat! What year ");

    const signalled = performance.now();
    running.child.kill("SIGTERM");
    const end = await stream.ended;
    const exit = await running.exited;

    // An error event, not a broken connection, and only after the grace period.
    expect(end.complete).toBe(true);
    expect(end.at - signalled).toBeGreaterThanOrEqual(GRACE_MS - 100);
    const events = stream.events();
    expect(events.at(-1)).toEqual({
      type: "error",
      code: "custom",
      message: REPLY_INTERRUPTED_MESSAGE,
      allow_retry: true,
    });
    expect(REPLY_INTERRUPTED_MESSAGE).toMatch(/restarting/);
    expect(events.filter((event) => event.type === "thread.item.done")).toHaveLength(1); // the user item only
    expect(exit.code).toBe(1);
    expect(exit.at - signalled).toBeLessThan(GRACE_MS + 3500); // the hard deadline is grace + 5 s
    expect(summaryOf(running.logs)).toMatchObject({ streams_ended: 1, leads_released: 0 });

    // What the assistant had said is the thread's assistant item.
    const threadId = threadIdOf(events);
    const db = new Database(join(temp.dir, "data", "lead-handoff.sqlite"), { readonly: true });
    cleanups.push(() => db.close());
    const items = db
      .prepare<[string], { data: string }>("SELECT data FROM thread_items WHERE thread_id = ? ORDER BY seq")
      .all(threadId)
      .map((row) => JSON.parse(row.data) as { type: string; content: Array<{ text: string }> });
    expect(items.map((item) => item.type)).toEqual(["user_message", "assistant_message"]);
    expect(items[1]?.content[0]?.text).toBe("Sorry about the seat! What year ");
  });

  it("a reply that finishes within the grace period arrives whole; the process exits 0 right after", async () => {
    const model = await heldModel();
    const release = deferred();
    model.enqueue({
      before: ["Got it, ", "a torn seat. "],
      after: ["What vehicle is it?"],
      release: release.promise,
    });
    const running = await server(openAiEnv(model));
    const secret = await newSession(running.port);
    const stream = await createThread(running.port, secret, "My seat is torn");
    await stream.waitFor((events) => joinDeltas(events) === "Got it, a torn seat. ");

    running.child.kill("SIGTERM");
    setTimeout(release.resolve, 300);
    const end = await stream.ended;
    const exit = await running.exited;

    expect(end.complete).toBe(true);
    const events = stream.events();
    expect(joinDeltas(events)).toBe("Got it, a torn seat. What vehicle is it?");
    expect(events.at(-1)).toMatchObject({ type: "thread.item.done", item: { type: "assistant_message" } });
    expect(events.some((event) => event.type === "error")).toBe(false);
    expect(exit.code).toBe(0);
    // Done as soon as the work is: no waiting out a timeout.
    expect(exit.at - end.at).toBeLessThan(2000);
    expect(summaryOf(running.logs)).toMatchObject({
      streams_ended: 0,
      leads_released: 0,
      connections_cut: 0,
    });
  });

  it("requests after SIGTERM: a new connection is refused, a kept-alive one answers 503 shutting_down; none hangs", async () => {
    const model = await heldModel();
    const release = deferred();
    model.enqueue(
      { before: ["One moment"], after: [", please."], release: release.promise },
      { before: ["Still "], after: [], release: null }, // keeps the server in its grace period
    );
    const running = await server(openAiEnv(model));
    const secret = await newSession(running.port);
    const keptAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => keptAlive.destroy());
    const first = await createThread(running.port, secret, "hello", keptAlive);
    await first.waitFor((events) => joinDeltas(events) === "One moment");
    const second = await createThread(running.port, secret, "hello again");
    await second.waitFor((events) => joinDeltas(events) === "Still ");

    running.child.kill("SIGTERM");
    await until(async () => (await tryConnect(running.port)) === "refused", 5000, "the listener to close");
    await expect(fetch(`http://127.0.0.1:${running.port}/healthz`)).rejects.toThrow();

    release.resolve();
    expect((await first.ended).complete).toBe(true);
    expect(joinDeltas(first.events())).toBe("One moment, please.");
    // The same connection, kept alive from before: answered at once, and closed.
    const late = await send(running.port, { method: "GET", path: "/healthz", agent: keptAlive });
    await late.ended;
    expect(late.status).toBe(503);
    expect(late.headers.connection).toBe("close");
    expect(JSON.parse(late.text())).toMatchObject({ error: { code: "shutting_down" } });
    const later = send(running.port, { method: "GET", path: "/healthz", agent: keptAlive });
    await expect(later).rejects.toMatchObject({ code: "ECONNREFUSED" });

    expect((await second.ended).complete).toBe(true);
    expect(second.events().at(-1)).toMatchObject({ type: "error", allow_retry: true });
    expect((await running.exited).code).toBe(1);
  });

  it("a lead send in flight gives its lease back at shutdown, and the restarted server's sweeper sends it", async () => {
    // An SMTP server that takes the message and never answers it.
    const dataStarted = deferred();
    const stuck = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream) {
        stream.resume();
        dataStarted.resolve();
      },
    });
    await new Promise<void>((resolve) => stuck.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => stuck.close(() => resolve())));
    const stuckPort = (stuck.server.address() as AddressInfo).port;
    const env = { MAILER: "smtp", LEAD_IDLE_DELAY_SECONDS: "0" };
    const running = await server({ ...env, SMTP_URL: `smtp://127.0.0.1:${stuckPort}` });
    const base = `http://127.0.0.1:${running.port}`;
    const secret = await newSession(running.port);
    const auth = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
    const chatkit = async (body: unknown) =>
      readSseEvents(
        await fetch(`${base}/api/chatkit`, { method: "POST", headers: auth, body: JSON.stringify(body) }),
      );
    const input = (text: string) => ({ content: [{ type: "input_text", text }], attachments: [] });
    const threadId = threadIdOf(
      await chatkit({
        type: "threads.create",
        params: { input: input("Hi, the driver seat on my 2012 Honda Civic has a big tear in it") },
      }),
    );
    await chatkit({
      type: "threads.add_user_message",
      params: { thread_id: threadId, input: input("Maria Lopez, 512-555-0123. Text is best") },
    });
    const lead = fetch(`${base}/lead`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ thread_id: threadId, reason: "manual" }),
    }).then(
      (response) => response.status,
      () => "cut" as const,
    );
    await dataStarted.promise;

    const signalled = performance.now();
    running.child.kill("SIGTERM");
    const exit = await running.exited;
    expect(exit.code).toBe(1);
    expect(exit.at - signalled).toBeLessThan(GRACE_MS + 3500); // the hard deadline is grace + 5 s
    expect(await lead).toBe("cut");
    expect(summaryOf(running.logs)).toMatchObject({
      streams_ended: 0,
      leads_released: 1,
      lead_threads: [threadId],
    });

    const dbPath = join(temp.dir, "data", "lead-handoff.sqlite");
    const readRow = () => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return db
          .prepare<[string], { state: string; lease_expires_at: number; message_id: string | null }>(
            "SELECT state, lease_expires_at, message_id FROM lead_sends WHERE thread_id = ?",
          )
          .get(threadId);
      } finally {
        db.close();
      }
    };
    const released = readRow();
    expect(released?.state).toBe("sending");
    expect(released?.lease_expires_at).toBeLessThanOrEqual(Date.now());

    // A restart with a mail server that answers: its sweeper sends the same prepared message.
    const delivered: string[] = [];
    const working = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, _session, callback) {
        let raw = "";
        stream.on("data", (data: Buffer) => {
          raw += data.toString("utf8");
        });
        stream.on("end", () => {
          delivered.push(raw);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => working.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => working.close(() => resolve())));
    const workingPort = (working.server.address() as AddressInfo).port;
    const restarted = await server({
      ...env,
      SMTP_URL: `smtp://127.0.0.1:${workingPort}`,
      LEAD_SWEEP_INTERVAL_SECONDS: "1",
    });
    await until(() => delivered.length > 0, 15_000, "the sweeper to send the lead");
    await until(() => readRow()?.state === "sent", 5000, "the lead to be marked sent");
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toContain(`Message-ID: ${released?.message_id}`);
    restarted.child.kill("SIGTERM");
    expect((await restarted.exited).code).toBe(0);
  });
});
