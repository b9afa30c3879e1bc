import { ServerResponse } from "node:http";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Context, MiddlewareHandler } from "hono";

/** What {@link eventStream} does when the stream stops other than by running out. */
export interface EventStreamHandlers<T> {
  /** The client went away (the response body was cancelled); the stream stops pulling `events`. */
  onCancel(): void;
  /** `events` threw: the last event to send (after whatever was already sent). */
  onError(error: unknown): T;
}

/** Where the frames of one stream go: a web stream, or the Node response itself. */
interface FrameSink {
  /** One chunk: the frames of one tick. */
  write(chunk: string): void;
  /** True when the receiver can take more now; else it calls `resume` once it can. */
  hasRoom(resume: () => void): boolean;
  end(): void;
}

/** The pump of one stream, as its sink sees it. */
interface Pump {
  /** The receiver has room again. */
  resume(): void;
  /** The client went away: stop pulling the events. */
  cancel(): void;
}

/**
 * Pulls `events` and writes one `data: <JSON>` frame per event to `sink`. The frames produced in the
 * same tick (until the microtasks run out, e.g. while the assistant waits on the network) are joined
 * into one chunk, written once: the client reads the same bytes, as soon as before.
 */
function pumpEvents<T>(events: AsyncIterable<T>, handlers: EventStreamHandlers<T>, sink: FrameSink): Pump {
  let pending = "";
  let flushQueued = false;
  let cancelled = false;
  /** Resolves the wait of the pump when the receiver wants more (see `room`). */
  let wake: (() => void) | null = null;

  const flush = () => {
    flushQueued = false;
    if (cancelled || pending === "") return;
    sink.write(pending);
    pending = "";
  };
  const send = (event: T) => {
    pending += `data: ${JSON.stringify(event)}\n\n`;
    if (!flushQueued) {
      flushQueued = true;
      // After the current microtasks: everything this tick produces goes out as one chunk.
      process.nextTick(flush);
    }
  };
  const resume = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  /** Waits while the receiver is behind (a slow client), as the writes of streamSSE waited. */
  const room = () =>
    cancelled || sink.hasRoom(resume)
      ? undefined
      : new Promise<void>((resolve) => {
          wake = resolve;
        });

  void (async () => {
    try {
      for await (const event of events) {
        if (cancelled) break;
        send(event);
        // Awaited only when there is something to wait for: a dozen awaits a turn add up.
        const wait = room();
        if (wait) await wait;
      }
    } catch (error) {
      if (!cancelled) send(handlers.onError(error));
    } finally {
      flush();
      if (!cancelled) sink.end();
    }
  })();
  return {
    resume,
    cancel() {
      cancelled = true;
      resume();
      handlers.onCancel();
    },
  };
}

const encoder = new TextEncoder();

/** The frames as a web stream: the body of the Response (tests, Lambda, any runtime). */
function webStreamOf<T>(
  events: AsyncIterable<T>,
  handlers: EventStreamHandlers<T>,
): ReadableStream<Uint8Array> {
  let pump: Pump | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      pump = pumpEvents(events, handlers, {
        write: (chunk) => controller.enqueue(encoder.encode(chunk)),
        hasRoom: () => (controller.desiredSize ?? 1) > 0, // `pull` resumes
        end: () => controller.close(),
      });
    },
    pull: () => pump?.resume(),
    cancel: () => pump?.cancel(),
  });
}

/** Writes the frames straight to the Node response, whose head is already set. */
function writeToNode<T>(
  outgoing: ServerResponse,
  events: AsyncIterable<T>,
  handlers: EventStreamHandlers<T>,
): void {
  // The client went away before the end: as a cancelled web stream.
  const onClose = () => {
    if (!outgoing.writableFinished) pump.cancel();
  };
  const onError = () => pump.cancel();
  const pump = pumpEvents(events, handlers, {
    write: (chunk) => outgoing.write(chunk),
    hasRoom(resume) {
      if (!outgoing.writableNeedDrain) return true;
      outgoing.once("drain", resume);
      return false;
    },
    end() {
      outgoing.off("close", onClose);
      outgoing.off("error", onError);
      outgoing.end();
    },
  });
  if (outgoing.destroyed) {
    pump.cancel();
    return;
  }
  outgoing.on("close", onClose);
  outgoing.on("error", onError);
}

/**
 * The streams {@link writeEventStreamsToNode} writes: per request, the place where
 * {@link eventStream} leaves its writer.
 */
const nodeWriters = new WeakMap<Context, { write?: (outgoing: ServerResponse) => void }>();

/**
 * `events` as a `text/event-stream` response, one `data: <JSON>` frame per event (byte for byte
 * what Hono's `streamSSE` + `writeSSE({ data: JSON.stringify(event) })` sends, with its headers).
 *
 * Why not `streamSSE`: it writes every event on its own, awaited, through three web streams (a
 * TransformStream and the ReadableStream around it) and then the response's write path, chunk by
 * chunk. A local reply is a dozen deltas produced in one go, so a turn paid for a dozen of those
 * hand-offs. Here the frames of one tick go out as one chunk; on the Node server (with
 * {@link writeEventStreamsToNode} mounted) straight to the socket, with no web stream at all.
 */
export function eventStream<T>(
  c: Context,
  events: AsyncIterable<T>,
  handlers: EventStreamHandlers<T>,
): Response {
  c.header("Transfer-Encoding", "chunked");
  c.header("Content-Type", "text/event-stream");
  c.header("Cache-Control", "no-cache");
  c.header("Connection", "keep-alive");
  const node = nodeWriters.get(c);
  if (!node) return c.newResponse(webStreamOf(events, handlers));
  node.write = (outgoing) => writeToNode(outgoing, events, handlers);
  return c.newResponse(null);
}

/** The answer that tells @hono/node-server the response is written already (a native Response: see below). */
const alreadySent = new (Response.error().constructor as typeof Response)(null, {
  headers: RESPONSE_ALREADY_SENT.headers,
});

/**
 * The head of a response as @hono/node-server writes it (`buildOutgoingHttpHeaders`): every header
 * in the order `Headers` lists them, the cookies last, as a list.
 */
function nodeHeaders(headers: Headers): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  const cookies: string[] = [];
  headers.forEach((value, name) => {
    if (name === "set-cookie") cookies.push(value);
    else record[name] = value;
  });
  if (cookies.length > 0) record["set-cookie"] = cookies;
  return record;
}

/**
 * On the Node server (@hono/node-server), writes the {@link eventStream} answers straight to the
 * Node response: once every other middleware is done with the answer (its status and headers, the
 * CORS ones included), this writes that head and then the frames itself, and tells the Node server
 * it is written already. Mount it first. Anywhere else (tests, Lambda) it does nothing.
 *
 * Why: the web stream the Node server would otherwise read the body from (a ReadableStream made,
 * read and piped for every turn, and the head sent in a write of its own) was about a third of the
 * HTTP work of a chat turn.
 */
export function writeEventStreamsToNode(): MiddlewareHandler {
  return async (c, next) => {
    const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
    if (!(outgoing instanceof ServerResponse)) return next();
    const node: { write?: (outgoing: ServerResponse) => void } = {};
    nodeWriters.set(c, node);
    await next();
    // A stream made and then given up for an error answer never starts: nobody would read it.
    if (!node.write || c.error) return;
    outgoing.writeHead(c.res.status, nodeHeaders(c.res.headers));
    node.write(outgoing);
    // Unset first: setting a response over another merges their headers into a new Response of the
    // Node server's own kind, which it would try to write again. `alreadySent` is of the platform's
    // kind (made from `Response.error()`, which the Node server's Response inherits), the only kind
    // whose "already sent" header it reads.
    c.res = undefined;
    c.res = alreadySent;
  };
}
