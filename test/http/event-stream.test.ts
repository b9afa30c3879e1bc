import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { describe, expect, it } from "vitest";
import { eventStream, writeEventStreamsToNode } from "../../src/http/event-stream.js";
import { limitBody } from "../../src/http/middleware/body-limit.js";

/** The chunks of a response body, as the server hands them to the socket one by one. */
async function chunksOf(response: Response): Promise<string[]> {
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    chunks.push(decoder.decode(read.value));
  }
  return chunks;
}

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

type Event = { n: number } | { failed: string };

/** An app answering GET / with `eventStream(events())`; `cancelled` counts onCancel calls. */
function appOf(events: () => AsyncIterable<Event>) {
  const state = { cancelled: 0 };
  const app = new Hono();
  app.get("/", (c) =>
    eventStream<Event>(c, events(), {
      onCancel: () => state.cancelled++,
      onError: (error) => ({ failed: String((error as Error).message) }),
    }),
  );
  return { app, state };
}

describe("eventStream (the chat's text/event-stream answers)", () => {
  it("sends what streamSSE sends, byte for byte and with the same headers", async () => {
    const events = [{ n: 1 }, { n: 2, text: "line\nbreak \u2028 ünïcode" }, { n: 3 }];
    const ours = new Hono().get("/", (c) =>
      eventStream(
        c,
        (async function* () {
          yield* events;
        })(),
        { onCancel: () => {}, onError: () => ({}) },
      ),
    );
    const hono = new Hono().get("/", (c) =>
      streamSSE(c, async (sse) => {
        for (const event of events) await sse.writeSSE({ data: JSON.stringify(event) });
      }),
    );
    const [a, b] = await Promise.all([ours.request("/"), hono.request("/")]);
    expect(await a.text()).toBe(await b.text());
    const headersOf = (response: Response) => {
      const all: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        all[name] = value;
      });
      return all;
    };
    expect(headersOf(a)).toEqual(headersOf(b));
    expect(headersOf(a)["content-type"]).toBe("text/event-stream");
  });

  it("joins the events of one tick into one chunk, and starts a new chunk after a wait", async () => {
    const { app } = appOf(async function* () {
      yield { n: 1 };
      yield { n: 2 };
      await Promise.resolve(); // still the same tick
      yield { n: 3 };
      await macrotask(); // a wait for I/O: what was produced goes out first
      yield { n: 4 };
      yield { n: 5 };
    });
    const chunks = await chunksOf(await app.request("/"));
    expect(chunks).toEqual([
      'data: {"n":1}\n\ndata: {"n":2}\n\ndata: {"n":3}\n\n',
      'data: {"n":4}\n\ndata: {"n":5}\n\n',
    ]);
  });

  it("ends with the onError event when the events fail, after what was already produced", async () => {
    const { app } = appOf(async function* () {
      yield { n: 1 };
      await macrotask();
      throw new Error("store gone");
    });
    const text = (await chunksOf(await app.request("/"))).join("");
    expect(text).toBe('data: {"n":1}\n\ndata: {"failed":"store gone"}\n\n');
  });

  it("stops pulling the events when the client goes away, and says so once", async () => {
    let finished = false;
    let pulled = 0;
    const { app, state } = appOf(async function* () {
      try {
        for (let n = 0; ; n++) {
          pulled++;
          yield { n };
          await macrotask();
        }
      } finally {
        finished = true;
      }
    });
    const response = await app.request("/");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
    const before = pulled;
    for (let i = 0; i < 5 && !finished; i++) await macrotask();
    expect(state.cancelled).toBe(1);
    expect(finished).toBe(true);
    expect(pulled).toBeLessThanOrEqual(before + 1);
  });

  it("waits for a reader that is behind instead of queueing without end", async () => {
    let pulled = 0;
    const { app } = appOf(async function* () {
      for (let n = 0; n < 100; n++) {
        pulled++;
        yield { n };
        await macrotask(); // one chunk per event
      }
    });
    const response = await app.request("/");
    for (let i = 0; i < 20; i++) await macrotask();
    // Nobody read: only a chunk or two went into the body's queue before the pump waited.
    expect(pulled).toBeLessThan(5);
    const text = (await chunksOf(response)).join("");
    expect(pulled).toBe(100);
    expect(text.match(/^data: /gm)).toHaveLength(100);
  });
});

/** `app` on @hono/node-server at 127.0.0.1, for the test's length. */
async function served(app: Hono, test: (port: number) => Promise<void>): Promise<void> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  try {
    await test((server.address() as AddressInfo).port);
  } finally {
    (server as Server).closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The raw bytes of one GET /, head and chunks, until its last chunk (the Date header blanked). */
function rawGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () =>
      socket.write("GET / HTTP/1.1\r\nHost: x\r\nOrigin: https://shop.example\r\n\r\n"),
    );
    let raw = "";
    socket.setEncoding("latin1");
    socket.on("data", (data: string) => {
      raw += data;
      if (raw.endsWith("\r\n0\r\n\r\n")) {
        socket.destroy();
        resolve(raw.replace(/^Date: .*$/m, "Date: -"));
      }
    });
    socket.on("error", reject);
  });
}

describe("eventStream on the Node server (writeEventStreamsToNode)", () => {
  /** An app streaming `events()`, with a middleware that adds a header after the route, as CORS does. */
  function nodeApp(events: () => AsyncIterable<Event>, direct: boolean) {
    const state = { cancelled: 0 };
    const app = new Hono();
    if (direct) app.use("*", writeEventStreamsToNode());
    app.use("*", async (c, next) => {
      await next();
      c.header("Vary", "Origin", { append: true });
    });
    app.get("/", (c) => {
      c.header("X-Accel-Buffering", "no");
      return eventStream<Event>(c, events(), {
        onCancel: () => state.cancelled++,
        onError: (error) => ({ failed: String((error as Error).message) }),
      });
    });
    return { app, state };
  }
  const events = async function* () {
    yield { n: 1 };
    yield { n: 2 };
    await macrotask();
    yield { n: 3, text: "ünïcode \u2028" };
    await macrotask();
    throw new Error("store gone");
  };

  it("writes the same bytes, head included, as the web stream the Node server would read", async () => {
    const answers: string[] = [];
    for (const direct of [false, true]) {
      await served(nodeApp(events, direct).app, async (port) => {
        answers.push(await rawGet(port));
      });
    }
    const [web, direct] = answers;
    expect(direct).toBe(web);
    expect(direct).toContain("vary: Origin");
    expect(direct).toContain('data: {"failed":"store gone"}');
  });

  it("stops pulling the events when the client goes away, and says so once", async () => {
    let finished = false;
    const { app, state } = nodeApp(async function* () {
      try {
        for (let n = 0; ; n++) {
          yield { n };
          await macrotask();
        }
      } finally {
        finished = true;
      }
    }, true);
    await served(app, async (port) => {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        socket.once("data", () => {
          socket.destroy();
          resolve();
        });
        socket.on("error", reject);
      });
      for (let i = 0; i < 20 && !finished; i++) await macrotask();
    });
    expect(state.cancelled).toBe(1);
    expect(finished).toBe(true);
  });

  it("waits for a client that is behind instead of buffering without end", async () => {
    let pulled = 0;
    const big = "x".repeat(64 * 1024);
    const { app } = nodeApp(async function* () {
      for (let n = 0; n < 200; n++) {
        pulled++;
        yield { n, text: big };
        await macrotask(); // one chunk per event
      }
    }, true);
    await served(app, async (port) => {
      const socket = connect(port, "127.0.0.1", () => socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
      socket.pause(); // reads nothing: the socket buffers fill up
      for (let i = 0; i < 50; i++) await macrotask();
      expect(pulled).toBeLessThan(100);
      let received = 0;
      await new Promise<void>((resolve) => {
        socket.on("data", (data: Buffer) => {
          received += data.length;
          if (data.subarray(-5).toString() === "0\r\n\r\n") resolve();
        });
        socket.resume();
      });
      socket.destroy();
      expect(pulled).toBe(200);
      expect(received).toBeGreaterThan(200 * big.length);
    });
  });
});

describe("limitBody", () => {
  const app = new Hono();
  app.onError((_error, c) => c.text("too large", 413));
  app.post(
    "/",
    limitBody({
      maxSize: 10,
      onError: () => {
        throw new Error("too large");
      },
    }),
    async (c) => c.text(await c.req.text()),
  );

  it("checks a declared length from the header alone", async () => {
    const ok = await app.request("/", { method: "POST", body: "12345", headers: { "content-length": "5" } });
    expect([ok.status, await ok.text()]).toEqual([200, "12345"]);
    const big = await app.request("/", {
      method: "POST",
      body: "12345678901",
      headers: { "content-length": "11" },
    });
    expect(big.status).toBe(413);
  });

  it("counts the bytes of a body without a declared length, as bodyLimit does", async () => {
    const stream = (text: string) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(text));
          controller.close();
        },
      });
    const init = (text: string): RequestInit & { duplex: "half" } => ({
      method: "POST",
      body: stream(text),
      duplex: "half",
    });
    const ok = await app.request("/", init("12345"));
    expect([ok.status, await ok.text()]).toEqual([200, "12345"]);
    const big = await app.request("/", init("12345678901"));
    expect(big.status).toBe(413);
  });
});
