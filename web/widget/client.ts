import type {
  ChatKitAttachment,
  ChatKitAttachmentUpload,
  ChatKitEvent,
  ChatKitPage,
  ChatKitThread,
  ChatKitThreadItem,
} from "../../src/core/chat/protocol.js";
import type { Attribution } from "./attribution.js";
import { visitorKey } from "./storage.js";

export type { ChatKitAttachment, ChatKitEvent, ChatKitThreadItem };

/** A failed call, with what the panel should say and whether a retry can help. */
export class ChatError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retry = true,
  ) {
    super(message);
  }
}

/** Trigger reasons the widget sends to POST /lead. */
export type TriggerReason = "idle" | "pagehide" | "chat_closed";

const OFFLINE = "You're offline. Check your connection and try again.";

/** The upload limit from the server's 413 message ("the limit is N bytes"), 20 MB when not given. */
function limitOf(message = ""): string {
  const bytes = Number(/limit is (\d+) bytes/.exec(message)?.[1] ?? 20_000_000);
  return bytes >= 1_000_000
    ? `${Math.round(bytes / 1_000_000)} MB`
    : `${Math.max(1, Math.round(bytes / 1000))} KB`;
}

/** Turns an HTTP failure into the words the customer sees. */
export function errorFor(status: number, serverMessage?: string): ChatError {
  if (status === 413)
    return new ChatError(`That photo is too large (max ${limitOf(serverMessage)}).`, status, false);
  if (status === 415) return new ChatError("Only photos or PDFs can be sent.", status, false);
  if (status === 429) return new ChatError("Too many messages at once. Please wait a moment.", status);
  if (status === 0) return new ChatError(OFFLINE, 0);
  if (status >= 400 && status < 500 && serverMessage) return new ChatError(serverMessage, status, false);
  return new ChatError("Something went wrong on our side. Please try again.", status);
}

async function failure(response: Response): Promise<ChatError> {
  let message: string | undefined;
  try {
    message = ((await response.json()) as { error?: { message?: string } }).error?.message;
  } catch {
    // Not JSON: the generic words are fine.
  }
  return errorFor(response.status, message);
}

/** Parses `data:` frames out of a growing SSE buffer; returns the events and the unfinished rest. */
export function parseFrames(buffer: string): { events: ChatKitEvent[]; rest: string } {
  const frames = buffer.split(/\r?\n\r?\n/);
  const rest = frames.pop() ?? "";
  const events: ChatKitEvent[] = [];
  for (const frame of frames) {
    const data = frame
      .split(/\r?\n/)
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).replace(/^ /, ""))
      .join("\n");
    if (data) events.push(JSON.parse(data) as ChatKitEvent);
  }
  return { events, rest };
}

/** Reads a ChatKit event stream to its end, calling `onEvent` for each event as it arrives. */
async function readEvents(response: Response, onEvent: (event: ChatKitEvent) => void): Promise<void> {
  if (!response.body) throw errorFor(500);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buffer += value;
    const { events, rest } = parseFrames(done ? `${buffer}\n\n` : buffer);
    buffer = rest;
    for (const event of events) onEvent(event);
    if (done) return;
  }
}

/** Speaks the chat runtime's protocol: sessions, ChatKit requests, streams, uploads, /lead. */
export class ChatClient {
  secret: string | null = null;
  /** When the secret was fetched (page clock), to refresh it before beacons need it. */
  secretAt = 0;

  /**
   * @param api base of the session, upload and /lead endpoints
   * @param chatApi base of `/api/chatkit` (on AWS the chat streams from its own Function URL)
   */
  constructor(
    readonly api: string,
    readonly chatApi: string = api,
  ) {}

  /**
   * With hosted ChatKit: the workflow's secret for OpenAI's component (ours, in `secret`, keeps
   * authorizing /lead and uploads). Null on our own runtime.
   */
  componentSecret: string | null = null;

  /** Gets a client secret for this visitor (cookie and visitor key). */
  async refresh(): Promise<string> {
    const response = await this.send(`${this.api}/api/chatkit/session`, {
      method: "POST",
      credentials: "include",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ visitor_key: visitorKey() }),
    });
    if (!response.ok) throw await failure(response);
    const body = (await response.json()) as { client_secret: string; lead_secret?: string };
    // Hosted ChatKit answers two secrets: ours for this server, the workflow's for the component.
    this.secret = body.lead_secret ?? body.client_secret;
    this.componentSecret = body.lead_secret ? body.client_secret : null;
    this.secretAt = Date.now();
    return this.secret;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    if (!navigator.onLine) throw new ChatError(OFFLINE, 0);
    try {
      return await fetch(url, init);
    } catch {
      throw new ChatError(OFFLINE, 0);
    }
  }

  /** A request with the Bearer secret; a 401 gets a fresh secret and one retry. */
  async authed(url: string, init: RequestInit): Promise<Response> {
    const secret = this.secret ?? (await this.refresh());
    const call = (token: string) =>
      this.send(url, {
        ...init,
        credentials: "include",
        headers: { ...init.headers, authorization: `Bearer ${token}` },
      });
    let response = await call(secret);
    if (response.status === 401) response = await call(await this.refresh());
    if (!response.ok) throw await failure(response);
    return response;
  }

  private chatkit(type: string, params: unknown, metadata?: unknown): Promise<Response> {
    return this.authed(`${this.chatApi}/api/chatkit`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(metadata ? { type, params, metadata } : { type, params }),
    });
  }

  private async json<T>(type: string, params: unknown): Promise<T> {
    return (await (await this.chatkit(type, params)).json()) as T;
  }

  /** The thread with all its items, oldest first. */
  async loadThread(threadId: string): Promise<ChatKitThreadItem[]> {
    const thread = await this.json<ChatKitThread>("threads.get_by_id", { thread_id: threadId });
    const items = [...thread.items.data];
    let page: ChatKitPage<ChatKitThreadItem> = thread.items;
    while (page.has_more && page.after) {
      page = await this.json("items.list", {
        thread_id: threadId,
        after: page.after,
        order: "asc",
        limit: 100,
      });
      items.push(...page.data);
    }
    return items;
  }

  /**
   * Sends a message (creating the thread when `threadId` is null) and calls `onEvent` for every
   * stream event as it arrives.
   */
  async sendMessage(
    threadId: string | null,
    text: string,
    attachments: string[],
    attribution: Attribution,
    onEvent: (event: ChatKitEvent) => void,
  ): Promise<void> {
    const input = { content: [{ type: "input_text", text }], attachments };
    let response: Response;
    if (threadId) {
      response = await this.chatkit("threads.add_user_message", { thread_id: threadId, input });
    } else {
      const hasAttribution = Object.keys(attribution).length > 0;
      try {
        response = await this.chatkit(
          "threads.create",
          { input },
          hasAttribution ? { attribution } : undefined,
        );
      } catch (error) {
        // A refused attribution must never cost the conversation: try once without it.
        if (!(error instanceof ChatError && error.status === 400 && hasAttribution)) throw error;
        response = await this.chatkit("threads.create", { input });
      }
    }
    await readEvents(response, onEvent);
  }

  /**
   * Answers the customer's stored message `itemId` again (`threads.retry_after_item`): the failed
   * reply goes, the message itself is not sent a second time.
   */
  async retryAfterItem(
    threadId: string,
    itemId: string,
    onEvent: (event: ChatKitEvent) => void,
  ): Promise<void> {
    await readEvents(
      await this.chatkit("threads.retry_after_item", { thread_id: threadId, item_id: itemId }),
      onEvent,
    );
  }

  /** Two-phase upload: `attachments.create`, then the bytes as its `upload_descriptor` says (XHR for progress). */
  async upload(file: File, onProgress: (fraction: number) => void): Promise<ChatKitAttachment> {
    const descriptor = await this.json<ChatKitAttachmentUpload>("attachments.create", {
      name: file.name || "photo",
      size: Math.max(1, file.size),
      mime_type: file.type || "application/octet-stream",
    });
    const { method, url } = descriptor.upload_descriptor;
    return this.postFile<ChatKitAttachment>(method, url, file, onProgress);
  }

  /**
   * Sends `file` (multipart field `file`) with our Bearer secret, by XHR for upload progress, renewing
   * the secret once on 401. Resolves to the JSON answer; rejects with the server's own message.
   */
  async postFile<T>(
    method: string,
    url: string,
    file: File,
    onProgress: (fraction: number) => void,
  ): Promise<T> {
    const attempt = (token: string) =>
      new Promise<{ status: number; body: string }>((resolve) => {
        const xhr = new XMLHttpRequest();
        xhr.open(method, url);
        xhr.withCredentials = true;
        xhr.setRequestHeader("authorization", `Bearer ${token}`);
        xhr.upload.onprogress = (event) => {
          if (event.lengthComputable) onProgress(event.loaded / event.total);
        };
        xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
        xhr.onerror = () => resolve({ status: 0, body: "" });
        const form = new FormData();
        form.append("file", file, file.name || "photo");
        xhr.send(form);
      });
    let result = await attempt(this.secret ?? (await this.refresh()));
    if (result.status === 401) result = await attempt(await this.refresh());
    if (result.status < 200 || result.status >= 300) {
      let message: string | undefined;
      try {
        message = (JSON.parse(result.body) as { error?: { message?: string } }).error?.message;
      } catch {
        // Keep the generic words.
      }
      throw errorFor(result.status, message);
    }
    return JSON.parse(result.body) as T;
  }

  /** POST /lead with the Bearer secret; resolves to the backend's `lead_reason`. */
  async lead(threadId: string, reason: TriggerReason): Promise<string> {
    const response = await this.authed(`${this.api}/lead`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ thread_id: threadId, reason }),
      keepalive: true,
    });
    return ((await response.json()) as { lead_reason: string }).lead_reason;
  }

  /** POST /lead as a beacon: the secret rides in a text/plain body (no preflight, no headers). */
  beacon(threadId: string, reason: TriggerReason): boolean {
    if (!this.secret) return false;
    const body = JSON.stringify({ thread_id: threadId, reason, client_secret: this.secret });
    const blob = new Blob([body], { type: "text/plain" });
    if (navigator.sendBeacon?.(`${this.api}/lead`, blob)) return true;
    void fetch(`${this.api}/lead`, {
      method: "POST",
      body: blob,
      keepalive: true,
      credentials: "include",
    }).catch(() => undefined);
    return true;
  }
}
