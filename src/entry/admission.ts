import type { IncomingMessage, ServerResponse } from "node:http";

/** A node:http request listener (what `http.createServer` calls for every request). */
export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Wraps `listener` so requests are handed to it first in, first out, one per `setImmediate` turn.
 *
 * Why: while the process is saturated (a burst of new visitors), every request read in the poll
 * phase runs its handler there (parsing, the chat turn up to its first wait) before the event loop
 * gets back to the listening socket, which libuv serves once per loop iteration. New visitors then
 * waited over a second just to be accepted while accepted ones were served in milliseconds. With
 * one request per turn, every loop iteration gets to accept and read the connections waiting, and
 * arrival order decides who is served next: a latecomer never overtakes a request that came before
 * it. The work done per request is the same; only its order changes.
 *
 * A request waiting here is not lost: its body stays buffered in its IncomingMessage until the
 * listener reads it, and a client that gives up meanwhile is answered as any closed connection.
 */
export function admitInOrder(listener: RequestListener): RequestListener {
  const waiting: Array<[IncomingMessage, ServerResponse] | undefined> = [];
  /** Index of the next request to admit in `waiting` (cheaper than shift() on a long queue). */
  let head = 0;
  let scheduled = false;

  const admitNext = () => {
    const next = waiting[head];
    waiting[head] = undefined; // the queue holds no request longer than it waits
    head++;
    if (head < waiting.length) setImmediate(admitNext);
    else {
      waiting.length = 0;
      head = 0;
      scheduled = false;
    }
    // Scheduled before the call: a listener that throws still leaves the queue moving.
    if (next) listener(next[0], next[1]);
  };

  return (request, response) => {
    waiting.push([request, response]);
    if (!scheduled) {
      scheduled = true;
      setImmediate(admitNext);
    }
  };
}
