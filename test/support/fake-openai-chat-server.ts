import type { ServerResponse } from "node:http";
import { type RecordedRequest, sendJson, startFakeHttpServer } from "./fake-http-server.js";

/** One request the fake received, body parsed as JSON. */
export type RecordedChatRequest = RecordedRequest;

/**
 * What the fake answers next. `stream` sends the deltas as `chat.completion.chunk` frames; by default
 * a final frame with `finish_reason: "stop"` and `data: [DONE]` follow. `stallAfter` stops writing
 * after that many deltas and keeps the connection open; `breakAfter` destroys the socket instead.
 * `json`, `text` and `refusal` answer a non-streaming request with one `chat.completion` object
 * (a structured-output answer, raw content with a chosen finish_reason, or a refusal).
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
  | { kind: "json"; value: unknown }
  | { kind: "text"; text: string; finishReason?: "stop" | "length" | "content_filter" }
  | { kind: "refusal"; refusal: string }
  | { kind: "status"; status: number; message?: string };

/** Computes a reply from the request, when no scripted reply is queued. */
export type FakeChatResponder = (request: RecordedChatRequest) => FakeChatReply | Promise<FakeChatReply>;

/**
 * A local HTTP server speaking the chat completions wire format: streaming (SSE) and plain
 * completions, with `response_format` checked the way the API checks its shape.
 */
export interface FakeOpenAiChatServer {
  /** Base URL for the SDK, e.g. `http://127.0.0.1:41234/v1`. */
  readonly baseURL: string;
  readonly requests: RecordedChatRequest[];
  /** Queues replies, used once each, before the responder. */
  enqueue(...replies: FakeChatReply[]): void;
  /** Sets the responder used when the queue is empty (by default it answers 500). */
  respondWith(responder: FakeChatResponder): void;
  /** Forgets requests, queued replies and the responder. */
  reset(): void;
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

const modelOf = (request: RecordedChatRequest) =>
  String((request.body as { model?: unknown } | null)?.model ?? "unknown");

function sendStream(
  res: ServerResponse,
  request: RecordedChatRequest,
  reply: FakeChatReply & { kind: "stream" },
) {
  const id = `chatcmpl-fake-${++sequence}`;
  const model = modelOf(request);
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

/** The `chat.completion` object the real API returns for a non-streaming request. */
export function completionObject(
  request: RecordedChatRequest,
  message: { content: string | null; refusal?: string | null },
  finishReason = "stop",
): Record<string, unknown> {
  return {
    id: `chatcmpl-fake-${++sequence}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: modelOf(request),
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: message.content,
          refusal: message.refusal ?? null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
  };
}

/** Why the API would refuse this `response_format` with a 400, or null when it is well formed. */
function badResponseFormat(format: unknown): string | null {
  if (format === undefined) return null;
  const f = format as { type?: unknown; json_schema?: { name?: unknown; schema?: unknown } } | null;
  if (f?.type === "text" || f?.type === "json_object") return null;
  if (f?.type !== "json_schema") return "response_format.type must be text, json_object or json_schema";
  if (typeof f.json_schema?.name !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(f.json_schema.name))
    return "response_format.json_schema.name is required (a-z, A-Z, 0-9, _ and -)";
  if (typeof f.json_schema.schema !== "object" || f.json_schema.schema === null)
    return "response_format.json_schema.schema must be an object";
  return null;
}

function sendCompletion(res: ServerResponse, request: RecordedChatRequest, reply: FakeChatReply) {
  if (reply.kind === "json")
    return sendJson(res, 200, completionObject(request, { content: JSON.stringify(reply.value) }));
  if (reply.kind === "text")
    return sendJson(res, 200, completionObject(request, { content: reply.text }, reply.finishReason));
  if (reply.kind === "refusal")
    return sendJson(res, 200, completionObject(request, { content: null, refusal: reply.refusal }));
  throw new Error(`reply ${reply.kind} cannot answer a non-streaming request`);
}

/** Starts the fake on 127.0.0.1 with an OS-chosen port. */
export async function startFakeOpenAiChatServer(): Promise<FakeOpenAiChatServer> {
  const unscripted: FakeChatResponder = () => ({ kind: "status", status: 500, message: "no reply scripted" });
  let responder = unscripted;

  const fake = await startFakeHttpServer<FakeChatReply>(async (request, res, { nextReply }) => {
    const json = (status: number, message: string, type = "server_error") =>
      sendJson(res, status, { error: { message, type, param: null, code: null } });
    if (request.method !== "POST" || request.path !== "/v1/chat/completions") {
      return json(404, `no route ${request.path}`);
    }
    const body = request.body as { stream?: unknown; response_format?: unknown } | null;
    const invalid = badResponseFormat(body?.response_format);
    if (invalid) return json(400, invalid, "invalid_request_error");
    let next: FakeChatReply;
    try {
      next = nextReply() ?? (await responder(request));
    } catch (error) {
      return json(500, String(error));
    }
    if (next.kind === "status") return json(next.status, next.message ?? `fake error ${next.status}`);
    if (next.kind === "stream") return sendStream(res, request, next);
    if (body?.stream === true) return json(500, `reply ${next.kind} cannot answer a streaming request`);
    sendCompletion(res, request, next);
  });
  return {
    baseURL: `${fake.origin}/v1`,
    requests: fake.requests,
    enqueue: fake.enqueue,
    respondWith: (next) => {
      responder = next;
    },
    reset: () => {
      fake.reset();
      responder = unscripted;
    },
    close: fake.close,
  };
}

/** The system and user message contents of a recorded chat completions request. */
export function requestMessages(request: RecordedChatRequest): { system: string; user: string } {
  const messages = (request.body as { messages?: Array<{ role?: unknown; content?: unknown }> } | null)
    ?.messages;
  const text = (role: string) =>
    (messages ?? [])
      .filter((m) => m.role === role)
      .map((m) => (typeof m.content === "string" ? m.content : ""))
      .join("\n");
  return { system: text("system"), user: text("user") };
}
