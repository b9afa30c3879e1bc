import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SessionCreateParams } from "openai/resources/beta/chatkit/sessions";
import type {
  ChatKitAttachment,
  ChatKitThread,
  ChatKitThreadAssistantMessageItem,
  ChatKitThreadItemList,
  ChatKitThreadUserMessageItem,
  ChatKitWidgetItem,
  ChatSession,
  ThreadDeleteResponse,
} from "openai/resources/beta/chatkit/threads";

/** Any item of a hosted ChatKit thread, exactly as the SDK types it. */
export type HostedThreadItem = ChatKitThreadItemList["data"][number];

/** An item to seed: the SDK shape, minus what the fake fills in (`created_at` defaults to the thread's + index). */
export type SeedItem = Seeded<HostedThreadItem>;

/** Distributes over the union, so each item type keeps its own fields. */
type Seeded<T> = T extends unknown
  ? Omit<T, "object" | "thread_id" | "created_at"> & { created_at?: number }
  : never;

/** A thread to seed; `user` defaults to `"user_fake"`, `created_at` (unix seconds) to now. */
export interface SeedThread {
  id: string;
  user?: string;
  title?: string | null;
  created_at?: number;
  status?: ChatKitThread["status"];
}

/** One request the fake received. */
export interface ChatKitRecordedRequest {
  method: string;
  /** Path without the query, e.g. `/v1/chatkit/threads/cthr_1/items`. */
  path: string;
  /** The query parameters, e.g. `{ order: "asc", limit: "100", after: "msg_99" }`. */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, null when empty. */
  body: unknown;
}

/** A local stand-in for the hosted ChatKit REST API (`/v1/chatkit/...`) the openai SDK calls. */
export interface FakeChatKitServer {
  /** Base URL for the SDK's `baseURL`: `http://127.0.0.1:<port>/v1`. */
  readonly baseUrl: string;
  /** Every request received (rejected ones included), in order. */
  readonly requests: ChatKitRecordedRequest[];
  /** Adds (or replaces) a thread and its items, oldest first; returns the thread as the API shows it. */
  seedThread(thread: SeedThread, items?: SeedItem[]): ChatKitThread;
  /** Holds every answer back by `ms` (0: answer at once); a slow upstream. */
  setDelayMs(ms: number): void;
  /** From now on the key is refused with 401 `invalid_api_key`. */
  expireKey(key: string): void;
  /** Answers the next request (after the auth and header checks) with this status in the error envelope. */
  failNext(status: number, error?: { message?: string; type?: string; code?: string | null }): void;
  /** Stops listening and ends open connections (delayed answers included). */
  close(): Promise<void>;
}

/** The header every ChatKit endpoint requires. */
export const CHATKIT_BETA_HEADER = "chatkit_beta=v1";

/** A customer message item to seed. */
export function userMessage(
  id: string,
  text: string,
  extra: { attachments?: ChatKitAttachment[]; quoted?: string; created_at?: number } = {},
): SeedItem {
  const content: ChatKitThreadUserMessageItem["content"] = [];
  if (extra.quoted !== undefined) content.push({ type: "quoted_text", text: extra.quoted });
  content.push({ type: "input_text", text });
  return {
    id,
    type: "chatkit.user_message",
    content,
    attachments: extra.attachments ?? [],
    inference_options: { model: null, tool_choice: null },
    ...(extra.created_at === undefined ? {} : { created_at: extra.created_at }),
  };
}

/** An assistant message item to seed. */
export function assistantMessage(id: string, text: string, created_at?: number): SeedItem {
  const item: Omit<ChatKitThreadAssistantMessageItem, "object" | "thread_id" | "created_at"> = {
    id,
    type: "chatkit.assistant_message",
    content: [{ type: "output_text", text, annotations: [] }],
  };
  return created_at === undefined ? item : { ...item, created_at };
}

/** A widget item to seed. */
export function widgetItem(id: string): SeedItem {
  const item: Omit<ChatKitWidgetItem, "object" | "thread_id" | "created_at"> = {
    id,
    type: "chatkit.widget",
    widget: JSON.stringify({ type: "Card", children: [{ type: "Text", value: "Book a visit" }] }),
  };
  return item;
}

interface Answer {
  status: number;
  body: unknown;
}

interface StoredThread {
  thread: ChatKitThread;
  items: HostedThreadItem[];
}

/** The OpenAI error envelope. */
function apiError(status: number, message: string, type: string, code: string | null): Answer {
  return { status, body: { error: { message, type, param: null, code } } };
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(answer.status, {
    "content-type": "application/json",
    "x-request-id": `req_fake_${Date.now()}`,
  });
  res.end(JSON.stringify(answer.body));
}

/**
 * The OpenAI list envelope over `all` (oldest first), with the API's cursor rules: `order`
 * (default `desc`), `after` / `before` item ids in that order, `limit` 1..100 (default 20).
 */
function listPage<T extends { id: string }>(all: readonly T[], query: Record<string, string>): Answer {
  const order = query.order ?? "desc";
  if (order !== "asc" && order !== "desc") {
    return apiError(400, `Invalid 'order': '${order}'.`, "invalid_request_error", "invalid_value");
  }
  const limit = query.limit === undefined ? 20 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return apiError(
      400,
      "Invalid 'limit': expected an integer from 1 to 100.",
      "invalid_request_error",
      null,
    );
  }
  const list = order === "asc" ? [...all] : [...all].reverse();
  let start = 0;
  let end = list.length;
  for (const [name, value] of [
    ["after", query.after],
    ["before", query.before],
  ] as const) {
    if (!value) continue;
    const index = list.findIndex((entry) => entry.id === value);
    if (index < 0) {
      return apiError(400, `Invalid '${name}': no item with id '${value}'.`, "invalid_request_error", null);
    }
    if (name === "after") start = index + 1;
    else end = index;
  }
  const window = list.slice(start, Math.max(start, end));
  const data = window.slice(0, limit);
  return {
    status: 200,
    body: {
      object: "list",
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: window.length > limit,
    },
  };
}

function newSession(body: unknown, sequence: number): Answer {
  // Loosely typed: the fake must answer whatever a client sends, so every field is checked or defaulted.
  const input = (body ?? {}) as Partial<Omit<SessionCreateParams, "user" | "workflow">> & {
    user?: unknown;
    workflow?: Partial<SessionCreateParams["workflow"]>;
  };
  if (typeof input.user !== "string" || !input.user) {
    return apiError(
      400,
      "Missing required parameter: 'user'.",
      "invalid_request_error",
      "missing_required_parameter",
    );
  }
  if (typeof input.workflow?.id !== "string" || !input.workflow.id) {
    return apiError(
      400,
      "Missing required parameter: 'workflow.id'.",
      "invalid_request_error",
      "missing_required_parameter",
    );
  }
  const config = input.chatkit_configuration ?? {};
  const maxFileSize = config.file_upload?.max_file_size;
  // The API counts whole megabytes, 512 at most: a byte count sent by mistake is refused.
  if (maxFileSize !== undefined && (!Number.isInteger(maxFileSize) || maxFileSize < 1 || maxFileSize > 512)) {
    return apiError(
      400,
      "Invalid 'chatkit_configuration.file_upload.max_file_size': expected an integer from 1 to 512 (MB).",
      "invalid_request_error",
      "invalid_value",
    );
  }
  const perMinute = input.rate_limits?.max_requests_per_1_minute ?? 10;
  const session: ChatSession = {
    id: `cksess_fake_${sequence}`,
    object: "chatkit.session",
    client_secret: `ek_fake_${randomBytes(12).toString("hex")}`,
    expires_at: Math.floor(Date.now() / 1000) + (input.expires_after?.seconds ?? 600),
    max_requests_per_1_minute: perMinute,
    rate_limits: { max_requests_per_1_minute: perMinute },
    status: "active",
    user: input.user,
    workflow: {
      id: input.workflow.id,
      state_variables: input.workflow.state_variables ?? null,
      tracing: { enabled: input.workflow.tracing?.enabled ?? true },
      version: input.workflow.version ?? null,
    },
    chatkit_configuration: {
      automatic_thread_titling: { enabled: config.automatic_thread_titling?.enabled ?? true },
      file_upload: {
        enabled: config.file_upload?.enabled ?? false,
        max_file_size: config.file_upload?.max_file_size ?? 512,
        max_files: config.file_upload?.max_files ?? 10,
      },
      history: {
        enabled: config.history?.enabled ?? true,
        recent_threads: config.history?.recent_threads ?? null,
      },
    },
  };
  return { status: 200, body: session };
}

/**
 * Starts the fake on 127.0.0.1 with an OS-chosen port. Routes: `POST /v1/chatkit/sessions`,
 * `GET /v1/chatkit/threads` (`?user=`), `GET|DELETE /v1/chatkit/threads/{id}`,
 * `GET /v1/chatkit/threads/{id}/items`. Every request needs `Authorization: Bearer <key>` (401
 * otherwise, or when the key was expired; the message echoes the key, as the real API echoes a
 * masked form, so code that passes upstream messages on is caught) and `OpenAI-Beta:
 * chatkit_beta=v1` (400 otherwise). Unknown threads and routes answer 404, all in the OpenAI
 * error envelope.
 */
export async function startFakeChatKitServer(): Promise<FakeChatKitServer> {
  const requests: ChatKitRecordedRequest[] = [];
  const threads = new Map<string, StoredThread>();
  const expired = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const failures: Answer[] = [];
  let delayMs = 0;
  let sessions = 0;

  function route(request: ChatKitRecordedRequest): Answer {
    const auth = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "");
    const key = auth?.[1];
    if (!key) {
      return apiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        "invalid_request_error",
        null,
      );
    }
    if (expired.has(key)) {
      return apiError(
        401,
        `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        "invalid_request_error",
        "invalid_api_key",
      );
    }
    const beta = String(request.headers["openai-beta"] ?? "")
      .split(",")
      .map((part) => part.trim());
    if (!beta.includes(CHATKIT_BETA_HEADER)) {
      return apiError(
        400,
        `The ChatKit API requires the header 'OpenAI-Beta: ${CHATKIT_BETA_HEADER}'.`,
        "invalid_request_error",
        "missing_beta_header",
      );
    }

    const failure = failures.shift();
    if (failure) return failure;

    const { method, path, query } = request;
    if (method === "POST" && path === "/v1/chatkit/sessions") return newSession(request.body, ++sessions);
    if (method === "GET" && path === "/v1/chatkit/threads") {
      const all = [...threads.values()]
        .map((stored) => stored.thread)
        .filter((thread) => !query.user || thread.user === query.user)
        .sort((a, b) => a.created_at - b.created_at);
      return listPage(all, query);
    }
    const match = /^\/v1\/chatkit\/threads\/([^/]+)(\/items)?$/.exec(path);
    if (match?.[1]) {
      const id = decodeURIComponent(match[1]);
      const stored = threads.get(id);
      const isItems = match[2] !== undefined;
      if ((method === "GET" || (method === "DELETE" && !isItems)) && !stored) {
        return apiError(404, `Thread with id '${id}' not found.`, "invalid_request_error", "not_found");
      }
      if (stored && method === "GET")
        return isItems ? listPage(stored.items, query) : { status: 200, body: stored.thread };
      if (stored && method === "DELETE" && !isItems) {
        threads.delete(id);
        const deleted: ThreadDeleteResponse = { id, object: "chatkit.thread.deleted", deleted: true };
        return { status: 200, body: deleted };
      }
    }
    return apiError(404, `Invalid URL (${method} ${path})`, "invalid_request_error", null);
  }

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const request: ChatKitRecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: null,
    };
    requests.push(request);
    let answer: Answer;
    try {
      request.body = raw ? JSON.parse(raw) : null;
      answer = route(request);
    } catch (error) {
      answer =
        error instanceof SyntaxError
          ? apiError(400, "We could not parse the JSON body of your request.", "invalid_request_error", null)
          : apiError(500, `fake failure: ${String(error)}`, "server_error", null);
    }
    if (delayMs <= 0) return send(res, answer);
    const timer = setTimeout(() => {
      timers.delete(timer);
      send(res, answer);
    }, delayMs);
    timers.add(timer);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    seedThread(seed, items = []) {
      const createdAt = seed.created_at ?? Math.floor(Date.now() / 1000);
      const thread: ChatKitThread = {
        id: seed.id,
        object: "chatkit.thread",
        created_at: createdAt,
        title: seed.title ?? null,
        status: seed.status ?? { type: "active" },
        user: seed.user ?? "user_fake",
      };
      const stored = items.map(
        (item, index) =>
          ({
            ...item,
            object: "chatkit.thread_item",
            thread_id: seed.id,
            created_at: item.created_at ?? createdAt + index,
          }) as HostedThreadItem,
      );
      threads.set(seed.id, { thread, items: stored });
      return thread;
    },
    setDelayMs(ms) {
      delayMs = ms;
    },
    expireKey(key) {
      expired.add(key);
    },
    failNext(status, error = {}) {
      const type = error.type ?? (status >= 500 ? "server_error" : "invalid_request_error");
      failures.push(apiError(status, error.message ?? `fake error ${status}`, type, error.code ?? null));
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
