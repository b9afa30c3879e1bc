import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received, body already parsed as JSON. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

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

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.destroyed) return; // the client gave up (timeout): nothing to answer
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function reply(res: ServerResponse, request: RecordedRequest, next: FakeReply): void {
  if (next.kind === "status") {
    const message = next.message ?? `fake error ${next.status}`;
    const error = { message, type: "server_error", param: null, code: null };
    send(res, next.status, { error }, next.headers);
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
  send(res, 200, next.kind === "response" ? next.body : responseObject(request.body, content ?? []));
}

/** Starts the fake on 127.0.0.1 with an OS-chosen port. */
export async function startFakeOpenAiServer(): Promise<FakeOpenAiServer> {
  const requests: RecordedRequest[] = [];
  const queue: FakeReply[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const unscripted: FakeResponder = () => ({ kind: "status", status: 500, message: "no reply scripted" });
  let responder = unscripted;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      return send(res, 400, { error: { message: "body is not JSON", type: "invalid_request_error" } });
    }
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const request: RecordedRequest = { method: req.method ?? "GET", path, headers: req.headers, body };
    requests.push(request);
    if (request.method !== "POST" || path !== "/v1/responses") {
      return send(res, 404, { error: { message: `no route ${request.method} ${path}`, type: "not_found" } });
    }
    let next: FakeReply;
    try {
      next = queue.shift() ?? (await responder(request));
    } catch (error) {
      return send(res, 500, { error: { message: String(error), type: "server_error" } });
    }
    if (!next.delayMs) return reply(res, request, next);
    const timer = setTimeout(() => {
      timers.delete(timer);
      reply(res, request, next);
    }, next.delayMs);
    timers.add(timer);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    respondWith: (next) => {
      responder = next;
    },
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      responder = unscripted;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
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
