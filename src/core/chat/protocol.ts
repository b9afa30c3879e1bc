/**
 * The subset of the ChatKit self-hosted server protocol we speak (shapes from OpenAI's public
 * chatkit-python `chatkit/types.py`), as zod schemas for requests and wire types for what we emit.
 * Pure: the widget imports this file too, so no node:* and nothing server-side.
 */
import { z } from "zod";

/** Requests answered with `text/event-stream` (`data: <json>\n\n` frames). */
export const STREAMING_REQUEST_TYPES = ["threads.create", "threads.add_user_message"] as const;

/** Requests answered with one JSON body. */
export const JSON_REQUEST_TYPES = [
  "threads.get_by_id",
  "threads.list",
  "items.list",
  "threads.update",
  "threads.delete",
  "attachments.create",
  "attachments.delete",
] as const;

/** Every request type we accept. */
export const CHATKIT_REQUEST_TYPES = [...STREAMING_REQUEST_TYPES, ...JSON_REQUEST_TYPES] as const;

/** One of {@link CHATKIT_REQUEST_TYPES}. */
export type ChatKitRequestType = (typeof CHATKIT_REQUEST_TYPES)[number];

/** True when `type` is a request type we serve. */
export function isChatKitRequestType(type: string): type is ChatKitRequestType {
  return (CHATKIT_REQUEST_TYPES as readonly string[]).includes(type);
}

/** True when the request type streams events. */
export function isStreamingRequestType(type: ChatKitRequestType): boolean {
  return (STREAMING_REQUEST_TYPES as readonly string[]).includes(type);
}

/** The envelope every request shares; `params` is checked per type afterwards. */
export const chatKitRequestSchema = z.object({
  type: z.string().min(1).max(100),
  params: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** Our ids (`cthr_`, `msg_`, `att_` + base64url): a bounded charset keeps them safe in URLs and logs. */
const idSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, "must be an id like cthr_abc123");

const pageParams = {
  /** @default 20 */
  limit: z.number().int().min(1).max(100).nullish(),
  after: idSchema.nullish(),
  order: z.enum(["asc", "desc"]).optional(),
};

/** What the customer typed and attached (`UserMessageInput`). Text length is checked by the service (413). */
export const userMessageInputSchema = z.object({
  content: z
    .array(z.object({ type: z.literal("input_text"), text: z.string() }))
    .min(1)
    .max(20),
  attachments: z.array(idSchema).max(10).default([]),
  quoted_text: z.string().max(4000).nullish(),
  // Accepted for compatibility; the server picks the model, never the client.
  inference_options: z
    .object({ model: z.string().nullish(), tool_choice: z.object({ id: z.string() }).nullish() })
    .nullish(),
});

/** Params of `threads.create`. */
export const threadCreateParamsSchema = z.object({ input: userMessageInputSchema });
/** Params of `threads.add_user_message`. */
export const threadAddUserMessageParamsSchema = z.object({
  thread_id: idSchema,
  input: userMessageInputSchema,
});
/** Params of `threads.get_by_id` and `threads.delete`. */
export const threadIdParamsSchema = z.object({ thread_id: idSchema });
/** Params of `threads.list` (newest first by default). */
export const threadListParamsSchema = z.object(pageParams);
/** Params of `items.list` (newest first by default, as in the protocol). */
export const itemsListParamsSchema = z.object({ thread_id: idSchema, ...pageParams });
/** Params of `threads.update`. */
export const threadUpdateParamsSchema = z.object({ thread_id: idSchema, title: z.string().max(200) });
/** Params of `attachments.create` (first phase of a two-phase upload). */
export const attachmentCreateParamsSchema = z.object({
  name: z.string().min(1).max(255),
  size: z.number().int().min(1),
  mime_type: z.string().min(1).max(100),
});
/** Params of `attachments.delete`. */
export const attachmentDeleteParamsSchema = z.object({ attachment_id: idSchema });

export type UserMessageInput = z.infer<typeof userMessageInputSchema>;
export type ThreadCreateParams = z.infer<typeof threadCreateParamsSchema>;
export type ThreadAddUserMessageParams = z.infer<typeof threadAddUserMessageParamsSchema>;
export type ThreadIdParams = z.infer<typeof threadIdParamsSchema>;
export type ThreadListParams = z.infer<typeof threadListParamsSchema>;
export type ItemsListParams = z.infer<typeof itemsListParamsSchema>;
export type ThreadUpdateParams = z.infer<typeof threadUpdateParamsSchema>;
export type AttachmentCreateParams = z.infer<typeof attachmentCreateParamsSchema>;
export type AttachmentDeleteParams = z.infer<typeof attachmentDeleteParamsSchema>;

// ---- Wire types we emit ----
// Items are `type` aliases, not interfaces: the store takes them as plain records.

/** A cursor page (`after` is the id of the last element, to pass back as `after`). */
export interface ChatKitPage<T> {
  data: T[];
  has_more: boolean;
  after: string | null;
}

/** An uploaded attachment as a user message carries it. */
export type ChatKitAttachment = {
  id: string;
  name: string;
  mime_type: string;
  type: "image" | "file";
  preview_url: string;
};

/** The answer to `attachments.create`: upload the bytes to `upload_url`, then reference `id`. */
export interface ChatKitAttachmentUpload {
  id: string;
  name: string;
  mime_type: string;
  type: "image" | "file";
  upload_url: string;
  /** Null until the bytes arrive. */
  preview_url: null;
}

/** What the customer said. */
export type ChatKitUserMessageItem = {
  id: string;
  thread_id: string;
  type: "user_message";
  /** ISO 8601. */
  created_at: string;
  content: { type: "input_text"; text: string }[];
  attachments: ChatKitAttachment[];
  quoted_text: string | null;
  inference_options: Record<string, never>;
};

/** What the shop's assistant said. */
export type ChatKitAssistantMessageItem = {
  id: string;
  thread_id: string;
  type: "assistant_message";
  /** ISO 8601. */
  created_at: string;
  content: { type: "output_text"; text: string; annotations: never[] }[];
};

/** Any thread item we store and send. */
export type ChatKitThreadItem = ChatKitUserMessageItem | ChatKitAssistantMessageItem;

/** A thread with its first page of items (empty in lists and in `thread.created`). */
export interface ChatKitThread {
  id: string;
  title: string | null;
  /** ISO 8601. */
  created_at: string;
  status: { type: "active" };
  items: ChatKitPage<ChatKitThreadItem>;
}

/** A text chunk of the assistant reply being streamed. */
export interface ChatKitTextDelta {
  type: "assistant_message.content_part.text_delta";
  content_index: number;
  delta: string;
}

/** The stream events we emit. */
export type ChatKitEvent =
  | { type: "thread.created"; thread: ChatKitThread }
  | { type: "thread.item.added"; item: ChatKitThreadItem }
  | { type: "thread.item.updated"; item_id: string; update: ChatKitTextDelta }
  | { type: "thread.item.done"; item: ChatKitThreadItem }
  | { type: "error"; code: "stream.error"; message: string; allow_retry: boolean };

/** The JSON error body of the endpoint (same as the rest of the API). */
export interface ChatKitErrorBody {
  error: { code: string; message: string };
}
