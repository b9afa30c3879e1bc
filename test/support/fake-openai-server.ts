import type { ServerResponse } from "node:http";
import { type RecordedRequest, sendJson, startFakeHttpServer } from "./fake-http-server.js";

/** One request the fake received, body already parsed as JSON. */
export type { RecordedRequest };

/** What the fake answers next. `delayMs` holds the answer back (timeouts). */
export type FakeReply = (
  | { kind: "json"; value: unknown }
  | { kind: "text"; text: string }
  | { kind: "refusal"; refusal: string }
  | { kind: "status"; status: number; message?: string; headers?: Record<string, string> }
  | { kind: "response"; body: Record<string, unknown> }
) & { delayMs?: number };

/** Computes a reply from the request, when no scripted reply is queued. */
export type FakeResponder = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

/** A local HTTP server speaking enough of the Responses API wire format for the openai SDK. */
export interface FakeOpenAiServer {
  /** Base URL for the SDK, e.g. `http://127.0.0.1:41234/v1`. */
  readonly baseURL: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Queues replies, used once each, before the responder. */
  enqueue(...replies: FakeReply[]): void;
  /** Sets the responder used when the queue is empty. */
  respondWith(responder: FakeResponder): void;
  /** Forgets requests, queued replies and the responder (which then answers 500). */
  reset(): void;
  close(): Promise<void>;
}

let sequence = 0;

/** The Response object the real API returns (no `output_text`: the SDK derives it from `output`). */
export function responseObject(
  request: unknown,
  content: Array<Record<string, unknown>>,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const body = (request ?? {}) as Record<string, unknown>;
  const id = ++sequence;
  const created = Math.floor(Date.now() / 1000);
  return {
    id: `resp_fake_${id}`,
    object: "response",
    created_at: created,
    completed_at: created,
    status: "completed",
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: null,
    model: body.model ?? "unknown",
    output: [{ type: "message", id: `msg_fake_${id}`, status: "completed", role: "assistant", content }],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: body.store ?? true,
    temperature: 1,
    text: body.text ?? { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_p: 1,
    truncation: "disabled",
    usage: {
      input_tokens: 100,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 50,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 150,
    },
    metadata: {},
    ...overrides,
  };
}

function outputText(text: string): Record<string, unknown> {
  return { type: "output_text", text, annotations: [], logprobs: [] };
}

function reply(res: ServerResponse, request: RecordedRequest, next: FakeReply): void {
  if (next.kind === "status") {
    const message = next.message ?? `fake error ${next.status}`;
    const error = { message, type: "server_error", param: null, code: null };
    sendJson(res, next.status, { error }, next.headers);
    return;
  }
  const content =
    next.kind === "json"
      ? [outputText(JSON.stringify(next.value))]
      : next.kind === "text"
        ? [outputText(next.text)]
        : next.kind === "refusal"
          ? [{ type: "refusal", refusal: next.refusal }]
          : null;
  sendJson(res, 200, next.kind === "response" ? next.body : responseObject(request.body, content ?? []));
}

/** Starts the fake on 127.0.0.1 with an OS-chosen port. */
export async function startFakeOpenAiServer(): Promise<FakeOpenAiServer> {
  const unscripted: FakeResponder = () => ({ kind: "status", status: 500, message: "no reply scripted" });
  let responder = unscripted;

  const fake = await startFakeHttpServer<FakeReply>(async (request, res, { nextReply, later }) => {
    if (request.method !== "POST" || request.path !== "/v1/responses") {
      const message = `no route ${request.method} ${request.path}`;
      return sendJson(res, 404, { error: { message, type: "not_found" } });
    }
    let next: FakeReply;
    try {
      next = nextReply() ?? (await responder(request));
    } catch (error) {
      return sendJson(res, 500, { error: { message: String(error), type: "server_error" } });
    }
    if (!next.delayMs) return reply(res, request, next);
    later(next.delayMs, () => reply(res, request, next));
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

/** The text of every `input_text` part of a recorded Responses request, joined. */
export function requestInputText(request: RecordedRequest): string {
  const body = request.body as { input?: unknown } | null;
  if (typeof body?.input === "string") return body.input;
  if (!Array.isArray(body?.input)) return "";
  return body.input
    .flatMap((message: { content?: unknown }) => (Array.isArray(message.content) ? message.content : []))
    .filter((part: { type?: unknown }) => part.type === "input_text")
    .map((part: { text?: unknown }) => String(part.text ?? ""))
    .join("\n");
}
