/**
 * A ChatKit-protocol client for the benches: posts to /api/chatkit over loopback and reads the SSE
 * body incrementally (fetch + body reader), timing each `data:` frame as its bytes arrive.
 */
import type { ChatKitEvent } from "../../src/core/chat/protocol.js";
import { parseSseFrame } from "../../test/support/sse.js";

/** One `POST /api/chatkit` body. */
export interface ChatKitRequest {
  type: string;
  params?: unknown;
  metadata?: Record<string, unknown>;
}

/** What one streamed turn did, in ms from the request start (client clock). */
export interface StreamedTurn {
  status: number;
  /** From `thread.created` (threads.create only). */
  threadId: string | null;
  /** First `thread.item.updated` carrying a text delta. */
  firstDeltaMs: number | null;
  /** The assistant's `thread.item.done`. */
  assistantDoneMs: number | null;
  /** The end of the response body. */
  endMs: number;
  /** `error` events in the stream. */
  errorEvents: number;
  /** The message of the first `error` event. */
  errorMessage: string | null;
  /** The assistant's text, joined from its deltas. */
  text: string;
}

/** `{type, params}` of a user message. */
export function userMessage(threadId: string | null, text: string): ChatKitRequest {
  const input = { content: [{ type: "input_text", text }], attachments: [] };
  return threadId === null
    ? { type: "threads.create", params: { input } }
    : { type: "threads.add_user_message", params: { thread_id: threadId, input } };
}

function post(baseUrl: string, secret: string, request: ChatKitRequest, timeoutMs: number) {
  return fetch(`${baseUrl}/api/chatkit`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    body: JSON.stringify(request),
    // Bounded: a stalled stream fails the run instead of hanging the bench.
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** Posts a streaming request and reads its SSE body to the end, frame by frame as it arrives. */
export async function streamTurn(
  baseUrl: string,
  secret: string,
  request: ChatKitRequest,
  timeoutMs = 30_000,
): Promise<StreamedTurn> {
  const t0 = performance.now();
  const response = await post(baseUrl, secret, request, timeoutMs);
  const turn: StreamedTurn = {
    status: response.status,
    threadId: null,
    firstDeltaMs: null,
    assistantDoneMs: null,
    endMs: 0,
    errorEvents: 0,
    errorMessage: null,
    text: "",
  };
  if (!response.ok || !response.body) {
    await response.text().catch(() => "");
    turn.endMs = performance.now() - t0;
    return turn;
  }
  const onEvent = (event: ChatKitEvent, at: number) => {
    if (event.type === "thread.created") turn.threadId = event.thread.id;
    else if (event.type === "error") {
      turn.errorEvents++;
      turn.errorMessage ??= "message" in event ? event.message : event.code;
    } else if (
      event.type === "thread.item.updated" &&
      event.update.type === "assistant_message.content_part.text_delta"
    ) {
      turn.firstDeltaMs ??= at;
      turn.text += event.update.delta;
    } else if (event.type === "thread.item.done" && event.item.type === "assistant_message") {
      turn.assistantDoneMs ??= at;
    }
  };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  while (true) {
    const { value, done } = await reader.read();
    const at = performance.now() - t0;
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (let end = /\r?\n\r?\n/.exec(buffer); end; end = /\r?\n\r?\n/.exec(buffer)) {
      const frame = buffer.slice(0, end.index);
      buffer = buffer.slice(end.index + end[0].length);
      const event = parseSseFrame(frame);
      if (event !== undefined) onEvent(event as ChatKitEvent, at);
    }
  }
  turn.endMs = performance.now() - t0;
  return turn;
}

/** Posts a JSON request (e.g. `threads.get_by_id`) and times it until its body is parsed. */
export async function jsonRequest(
  baseUrl: string,
  secret: string,
  request: ChatKitRequest,
  timeoutMs = 30_000,
): Promise<{ status: number; ms: number; body: unknown }> {
  const t0 = performance.now();
  const response = await post(baseUrl, secret, request, timeoutMs);
  const body: unknown = await response.json();
  return { status: response.status, ms: performance.now() - t0, body };
}

/** A fresh chat session over HTTP (a new visitor: no cookie, no visitor_key). */
export async function newSession(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/chatkit/session`, {
    method: "POST",
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`POST /api/chatkit/session answered ${response.status}`);
  return ((await response.json()) as { client_secret: string }).client_secret;
}
