import { z } from "zod";

/** An attachment as a thread item carries it, read leniently (a bad field gets a neutral value). */
export const attachmentSchema = z.object({
  id: z.string(),
  name: z.string().catch("attachment"),
  mime_type: z.string().catch("application/octet-stream"),
  type: z.enum(["image", "file"]).catch("file"),
  preview_url: z.string().catch(""),
});

/** Unix seconds (hosted API), an ISO date (self-hosted protocol), or nothing. */
export const createdAtSchema = z.union([z.number(), z.string()]).optional().nullable();

const contentPartSchema = z.object({ type: z.string(), text: z.string().optional() }).passthrough();

const MESSAGE_TYPES = [
  "chatkit.user_message",
  "chatkit.assistant_message",
  "user_message",
  "assistant_message",
];

/** A message item of any supported shape: hosted `chatkit.*` items and our own. */
export const messageItemSchema = z.object({
  type: z.enum(["chatkit.user_message", "chatkit.assistant_message", "user_message", "assistant_message"]),
  created_at: createdAtSchema,
  content: z.array(contentPartSchema).default([]),
  attachments: z.array(attachmentSchema).default([]),
  feedback: z.enum(["positive", "negative"]).optional().catch(undefined),
  // Our own items keep the quote as a field; hosted items carry `quoted_text` content parts.
  quoted_text: z.string().nullish().catch(undefined),
});

/** What a transcript reads of a message item. */
export type MessageItem = z.output<typeof messageItemSchema>;

type Attachment = z.output<typeof attachmentSchema>;
type ContentPart = MessageItem["content"][number];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isAttachment = (value: unknown): value is Attachment =>
  isRecord(value) &&
  typeof value.id === "string" &&
  typeof value.name === "string" &&
  typeof value.mime_type === "string" &&
  (value.type === "image" || value.type === "file") &&
  typeof value.preview_url === "string";

const isContentPart = (value: unknown): value is ContentPart =>
  isRecord(value) &&
  typeof value.type === "string" &&
  (value.text === undefined || typeof value.text === "string");

/** `value` when it is absent or an array of `T`s; null otherwise. */
function arrayOf<T>(value: unknown, is: (entry: unknown) => entry is T): T[] | undefined | null {
  if (value === undefined) return undefined;
  return Array.isArray(value) && value.every(is) ? value : null;
}

/**
 * {@link messageItemSchema}'s answer for an item whose fields all have their expected types (every
 * item we store, every well-formed hosted one), read by hand; undefined for anything else, which
 * only the schema can answer.
 *
 * Why: every chat turn reads every item of its thread again, and the schema (a new object for every
 * part, and code the optimizing compiler works hard on in a fresh server) was most of that work.
 */
export function plainMessageItem(item: unknown): MessageItem | undefined {
  if (!isRecord(item)) return undefined;
  const { type, created_at, feedback, quoted_text } = item;
  if (typeof type !== "string" || !MESSAGE_TYPES.includes(type)) return undefined;
  if (typeof created_at !== "string") return undefined;
  const content = arrayOf(item.content, isContentPart);
  const attachments = arrayOf(item.attachments, isAttachment);
  if (content === null || attachments === null) return undefined;
  return {
    type: type as MessageItem["type"],
    created_at,
    content: content ?? [],
    // New objects of the schema's keys only, in its order, as the schema makes them (the
    // `thread_id` our items keep on their attachments stays out of the transcript).
    attachments: (attachments ?? []).map(({ id, name, mime_type, type, preview_url }) => ({
      id,
      name,
      mime_type,
      type,
      preview_url,
    })),
    // What the schema's `.catch(undefined)` makes of anything else.
    feedback: feedback === "positive" || feedback === "negative" ? feedback : undefined,
    quoted_text: typeof quoted_text === "string" || quoted_text === null ? quoted_text : undefined,
  };
}

/** A message item as {@link messageItemSchema} reads it, or null when it is not one. */
export function readMessageItem(item: unknown): MessageItem | null {
  const plain = plainMessageItem(item);
  if (plain) return plain;
  const parsed = messageItemSchema.safeParse(item);
  return parsed.success ? parsed.data : null;
}
