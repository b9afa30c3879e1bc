/**
 * The two requests every chat turn sends (`threads.create`, `threads.add_user_message`) in their
 * plain form, read by hand: exactly what their zod schemas in protocol.ts answer for them, or
 * undefined for anything else, which only the schemas can answer (and explain when it is wrong).
 *
 * Why: the schemas are most of the work of reading a turn's request, and of the optimizing
 * compiler's work on it in a fresh server, for requests that are almost always this simple.
 */
import {
  type ChatKitRequestType,
  MAX_ATTACHMENTS_PER_MESSAGE,
  type ThreadAddUserMessageParams,
  type ThreadCreateParams,
  type UserMessageInput,
} from "./protocol.js";

/** `chatKitRequestSchema`'s answer without metadata. */
export interface PlainEnvelope {
  type: string;
  params?: unknown;
  metadata?: undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** As `idSchema`: 1 to 128 characters of [A-Za-z0-9_-]. */
const ID = /^[A-Za-z0-9_-]{1,128}$/;
const isId = (value: unknown): value is string => typeof value === "string" && ID.test(value);

/** The envelope `{ type, params }` (no `metadata`, which the schema copies key by key). */
export function plainEnvelope(body: unknown): PlainEnvelope | undefined {
  if (!isRecord(body) || body.metadata !== undefined) return undefined;
  const { type, params } = body;
  if (typeof type !== "string" || type.length < 1 || type.length > 100) return undefined;
  return params === undefined ? { type } : { type, params };
}

/** Typed text and attachment ids only: no tags, no quote, no inference options. */
function plainInput(input: unknown): UserMessageInput | undefined {
  if (!isRecord(input) || input.quoted_text !== undefined || input.inference_options !== undefined)
    return undefined;
  const { content, attachments } = input;
  if (!Array.isArray(content) || content.length > 20) return undefined;
  const parts: UserMessageInput["content"] = [];
  for (const part of content) {
    if (!isRecord(part) || part.type !== "input_text" || typeof part.text !== "string") return undefined;
    // A new object of the schema's keys, in its order: the parts are stored and sent back as they are.
    parts.push({ type: "input_text", text: part.text });
  }
  if (attachments === undefined) return { content: parts, attachments: [] };
  if (!Array.isArray(attachments) || attachments.length > MAX_ATTACHMENTS_PER_MESSAGE) return undefined;
  if (!attachments.every(isId)) return undefined;
  return { content: parts, attachments: [...attachments] };
}

/** The params of `threads.create` or `threads.add_user_message` in their plain form. */
export function plainMessageParams(
  type: Extract<ChatKitRequestType, "threads.create">,
  params: unknown,
): ThreadCreateParams | undefined;
export function plainMessageParams(
  type: Extract<ChatKitRequestType, "threads.add_user_message">,
  params: unknown,
): ThreadAddUserMessageParams | undefined;
export function plainMessageParams(
  type: "threads.create" | "threads.add_user_message",
  params: unknown,
): ThreadCreateParams | ThreadAddUserMessageParams | undefined {
  if (!isRecord(params)) return undefined;
  const input = plainInput(params.input);
  if (!input) return undefined;
  if (type === "threads.create") return { input };
  return isId(params.thread_id) ? { thread_id: params.thread_id, input } : undefined;
}
