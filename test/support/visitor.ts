import { expect } from "vitest";
import type { ChatKitEvent } from "../../src/core/chat/protocol.js";
import { readSseEvents } from "./sse.js";

/** A visitor who chats with a real server over `POST /api/chatkit`, as the widget does. */
export interface Visitor {
  /** The current client secret (a fresh session each call, for the same visitor). */
  secret(): Promise<string>;
  /** Starts a thread with a first message; returns its id. */
  start(text: string): Promise<string>;
  /** Sends a message and reads the whole reply stream. */
  say(threadId: string, text: string): Promise<ChatKitEvent[]>;
}

/**
 * A visitor known by `visitorKey`: every call gets a fresh session for the same user, so tests may
 * move a fake clock by hours (sessions last 10 minutes) and keep chatting in the same thread.
 */
export function createVisitor(baseUrl: string, visitorKey = "visitor-key-of-a-test-customer"): Visitor {
  const secret = async () => {
    const response = await fetch(`${baseUrl}/api/chatkit/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ visitor_key: visitorKey }),
    });
    return ((await response.json()) as { client_secret: string }).client_secret;
  };
  const chatkit = async (body: unknown) => {
    const response = await fetch(`${baseUrl}/api/chatkit`, {
      method: "POST",
      headers: { authorization: `Bearer ${await secret()}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    return readSseEvents(response);
  };
  const input = (text: string) => ({ content: [{ type: "input_text", text }], attachments: [] });
  return {
    secret,
    async start(text) {
      const events = (await chatkit({ type: "threads.create", params: { input: input(text) } })) as Array<
        ChatKitEvent & { thread?: { id: string } }
      >;
      return String(events[0]?.thread?.id);
    },
    say: (threadId, text) =>
      chatkit({ type: "threads.add_user_message", params: { thread_id: threadId, input: input(text) } }),
  };
}
