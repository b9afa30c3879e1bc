import type { ChatKitEvent } from "../../src/core/chat/protocol.js";
import { assertConformingEvent } from "./chatkit-conformance.js";

/** The JSON payload of one SSE frame (its `data:` lines joined), or `undefined` when it has none. */
export function parseSseFrame(frame: string): unknown {
  const data = frame
    .split(/\r?\n/)
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(5).replace(/^ /, ""));
  return data.length > 0 ? JSON.parse(data.join("\n")) : undefined;
}

/** Parses `text/event-stream` text into the JSON payloads of its `data:` frames, in order. */
export function parseSseFrames(text: string): unknown[] {
  const events: unknown[] = [];
  for (const frame of text.split(/\r?\n\r?\n/)) {
    const event = parseSseFrame(frame);
    if (event !== undefined) events.push(event);
  }
  return events;
}

/**
 * Reads a whole SSE response (it must end) and returns its ChatKit events, each checked against
 * the official protocol (test/support/chatkit-conformance.ts): every test that reads a stream
 * this way also proves the frames are what the official ChatKit component expects.
 */
export async function readSseEvents(response: Response): Promise<ChatKitEvent[]> {
  const events = parseSseFrames(await response.text());
  events.forEach((event, index) => {
    try {
      assertConformingEvent(event);
    } catch (error) {
      throw new Error(`SSE frame #${index} does not conform: ${(error as Error).message}`);
    }
  });
  return events as ChatKitEvent[];
}

/** Concatenates the assistant text deltas of a stream. */
export function joinDeltas(events: readonly ChatKitEvent[]): string {
  return events
    .map((event) =>
      event.type === "thread.item.updated" &&
      event.update.type === "assistant_message.content_part.text_delta"
        ? event.update.delta
        : "",
    )
    .join("");
}
