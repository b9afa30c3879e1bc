import type { Transcript } from "../core/chat/transcript.js";

/** What the assistant sees for one turn. */
export interface AssistantTurn {
  threadId: string;
  /** The whole conversation so far, ending with the customer's new message. */
  transcript: Transcript;
}

/** Writes the shop's replies in the chat. */
export interface Assistant {
  /** A short name for logs, e.g. `local` or `openai:gpt-4.1-mini`. */
  readonly name: string;
  /**
   * Streams the reply as text deltas (concatenated, they are the whole reply). Throws
   * UpstreamError when a remote model fails, before or during the stream; stops when `signal` aborts.
   */
  reply(turn: AssistantTurn, signal?: AbortSignal): AsyncIterable<string>;
}
