import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a fake received, body already parsed as JSON (`null` when empty). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * The shared part of the local fakes of upstream HTTP APIs: a node:http server on 127.0.0.1 with an
 * OS-chosen port that records every request and hands the fake a queue of scripted replies.
 */
export interface FakeHttpServer<Reply> {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly origin: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Queues replies, used once each, in order. */
  enqueue(...replies: Reply[]): void;
  /** Takes the next queued reply, if any. */
  nextReply(): Reply | undefined;
  /** Runs `fn` after `delayMs`, unless the server is closed first. */
  later(delayMs: number, fn: () => void): void;
  /** Forgets requests and queued replies. */
  reset(): void;
  /** Cancels pending `later` calls, ends open sockets (streams left hanging included) and stops listening. */
  close(): Promise<void>;
}

/** Answers one recorded request; `fake` gives access to the reply queue. */
export type FakeHttpHandler<Reply> = (
  request: RecordedRequest,
  res: ServerResponse,
  fake: FakeHttpServer<Reply>,
) => void | Promise<void>;

/** Writes a JSON answer, unless the client already gave up (timeout) and there is nobody to answer. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Starts a fake on 127.0.0.1 with an OS-chosen port. A body that is not JSON is answered 400 and
 * not recorded; everything else is recorded, then passed to `handle`.
 */
export async function startFakeHttpServer<Reply>(
  handle: FakeHttpHandler<Reply>,
): Promise<FakeHttpServer<Reply>> {
  const requests: RecordedRequest[] = [];
  const queue: Reply[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      return sendJson(res, 400, { error: { message: "body is not JSON", type: "invalid_request_error" } });
    }
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const request: RecordedRequest = { method: req.method ?? "GET", path, headers: req.headers, body };
    requests.push(request);
    await handle(request, res, fake);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeHttpServer<Reply> = {
    origin: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    nextReply: () => queue.shift(),
    later: (delayMs, fn) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, delayMs);
      timers.add(timer);
    },
    reset: () => {
      requests.length = 0;
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return fake;
}
