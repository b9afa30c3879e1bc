import type { ServerResponse } from "node:http";
import { type RecordedRequest, sendJson, startFakeHttpServer } from "./fake-http-server.js";

/** One request the fake received, body parsed as JSON. */
export type RecordedChatRequest = RecordedRequest;

/**
 * What the fake answers next. `stream` sends the deltas as `chat.completion.chunk` frames; by default
 * a final frame with `finish_reason: "stop"` and `data: [DONE]` follow. `stallAfter` stops writing
 * after that many deltas and keeps the connection open; `breakAfter` destroys the socket instead.
 */
export type FakeChatReply =
  | {
      kind: "stream";
      deltas: string[];
      stallAfter?: number;
      breakAfter?: number;
      /** Ends the body cleanly but without a finish_reason frame or `[DONE]`. */
      truncate?: boolean;
    }
  | { kind: "status"; status: number; message?: string };

/** A local HTTP server speaking the chat completions streaming wire format (SSE). */
export interface FakeOpenAiChatServer {
  /** Base URL for the SDK, e.g. `http://127.0.0.1:41234/v1`. */
  readonly baseURL: string;
  readonly requests: RecordedChatRequest[];
  /** Queues replies, used once each; an empty queue answers 500. */
  enqueue(...replies: FakeChatReply[]): void;
  close(): Promise<void>;
}

let sequence = 0;

function chunk(id: string, model: string, delta: Record<string, unknown>, finish: string | null): string {
  const frame = {
    id,
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(frame)}\n\n`;
}

function sendStream(
  res: ServerResponse,
  request: RecordedChatRequest,
  reply: FakeChatReply & { kind: "stream" },
) {
  const id = `chatcmpl-fake-${++sequence}`;
  const model = String((request.body as { model?: unknown } | null)?.model ?? "unknown");
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.write(chunk(id, model, { role: "assistant", content: "" }, null));
  for (const [index, content] of reply.deltas.entries()) {
    if (index === reply.stallAfter) return; // keep the socket open, say nothing more
    if (index === reply.breakAfter) return void res.socket?.destroy();
    res.write(chunk(id, model, { content }, null));
  }
  if (reply.stallAfter !== undefined && reply.stallAfter >= reply.deltas.length) return;
  if (reply.breakAfter !== undefined && reply.breakAfter >= reply.deltas.length)
    return void res.socket?.destroy();
  if (reply.truncate) return void res.end();
  res.write(chunk(id, model, {}, "stop"));
  res.end("data: [DONE]\n\n");
}

/** Starts the fake on 127.0.0.1 with an OS-chosen port. */
export async function startFakeOpenAiChatServer(): Promise<FakeOpenAiChatServer> {
  const fake = await startFakeHttpServer<FakeChatReply>((request, res, { nextReply }) => {
    const json = (status: number, message: string) =>
      sendJson(res, status, { error: { message, type: "server_error", param: null, code: null } });
    if (request.method !== "POST" || request.path !== "/v1/chat/completions") {
      return json(404, `no route ${request.path}`);
    }
    const next = nextReply() ?? { kind: "status", status: 500, message: "no reply scripted" };
    if (next.kind === "status") return json(next.status, next.message ?? `fake error ${next.status}`);
    sendStream(res, request, next);
  });
  return {
    baseURL: `${fake.origin}/v1`,
    requests: fake.requests,
    enqueue: fake.enqueue,
    close: fake.close,
  };
}
