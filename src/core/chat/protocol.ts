/**
 * The ChatKit self-hosted server protocol as we speak it (shapes from OpenAI's public
 * chatkit-python `chatkit/types.py` and `chatkit/server.py`, commit dacc133), as zod schemas for
 * requests and wire types for what we emit. Like the official server, optional fields that are
 * empty are left out of what we send, never `null`. Pure: the widget imports this file too, so no
 * node:* and nothing server-side.
 */
import { z } from "zod";

/** Requests answered with `text/event-stream` (`data: <json>\n\n` frames). */
export const STREAMING_REQUEST_TYPES = [
  "threads.create",
  "threads.add_user_message",
  "threads.retry_after_item",
  // Features a lead-intake chat has no use for, answered as the official server does without them.
  "threads.custom_action",
  "threads.add_client_tool_output",
  "threads.add_structured_input",
] as const;

/** Requests answered with one JSON body. */
export const JSON_REQUEST_TYPES = [
  "threads.get_by_id",
  "threads.list",
  "items.list",
  "threads.update",
  "threads.delete",
  "attachments.create",
  "attachments.delete",
  "items.feedback",
  "threads.sync_custom_action",
  "input.transcribe",
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

/** Plain text the customer typed. */
const inputTextSchema = z.object({ type: z.literal("input_text"), text: z.string() });
/** A tag the customer picked in the composer (an entity or a suggestion), with its display text. */
const inputTagSchema = z.object({
  type: z.literal("input_tag"),
  id: z.string().max(200),
  text: z.string().max(4000),
  data: z.record(z.string(), z.unknown()).default({}),
  group: z.string().max(200).nullish(),
  interactive: z.boolean().optional(),
});

/**
 * Most attachments one customer message carries: the protocol's own limit, which the hosted page's
 * photo button and the hosted thread store keep too.
 */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;

/**
 * What the customer typed and attached (`UserMessageInput`): text and tags, or attachments alone
 * (`content: []`). Text length is checked by the service (413).
 */
export const userMessageInputSchema = z.object({
  content: z.array(z.discriminatedUnion("type", [inputTextSchema, inputTagSchema])).max(20),
  attachments: z.array(idSchema).max(MAX_ATTACHMENTS_PER_MESSAGE).default([]),
  quoted_text: z.string().max(4000).nullish(),
  // Kept on the item as sent; the server picks the model, never the client.
  inference_options: z
    .object({
      model: z.string().max(200).nullish(),
      tool_choice: z.object({ id: z.string().max(200) }).nullish(),
    })
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
/** Params of `threads.retry_after_item`: answer the customer's message `item_id` again. */
export const retryAfterItemParamsSchema = z.object({ thread_id: idSchema, item_id: idSchema });
/** Params of `items.feedback` (thumbs up or down on assistant replies). */
export const itemsFeedbackParamsSchema = z.object({
  thread_id: idSchema,
  item_ids: z.array(idSchema).min(1).max(100),
  kind: z.enum(["positive", "negative"]),
});
/** Params of the requests we answer as "feature off": only the thread must be the caller's. */
export const threadFeatureParamsSchema = z.looseObject({ thread_id: idSchema });
/** Params of `input.transcribe` (dictation), which we do not offer. */
export const inputTranscribeParamsSchema = z.object({
  audio_base64: z.string(),
  mime_type: z.string().max(200),
});

export type UserMessageInput = z.infer<typeof userMessageInputSchema>;
export type ThreadCreateParams = z.infer<typeof threadCreateParamsSchema>;
export type ThreadAddUserMessageParams = z.infer<typeof threadAddUserMessageParamsSchema>;
export type ThreadIdParams = z.infer<typeof threadIdParamsSchema>;
export type ThreadListParams = z.infer<typeof threadListParamsSchema>;
export type ItemsListParams = z.infer<typeof itemsListParamsSchema>;
export type ThreadUpdateParams = z.infer<typeof threadUpdateParamsSchema>;
export type AttachmentCreateParams = z.infer<typeof attachmentCreateParamsSchema>;
export type AttachmentDeleteParams = z.infer<typeof attachmentDeleteParamsSchema>;
export type RetryAfterItemParams = z.infer<typeof retryAfterItemParamsSchema>;
export type ItemsFeedbackParams = z.infer<typeof itemsFeedbackParamsSchema>;
export type ThreadFeatureParams = z.infer<typeof threadFeatureParamsSchema>;
/** One part of a customer message. */
export type UserMessageContent = UserMessageInput["content"][number];

// ---- Wire types we emit ----
// Items are `type` aliases, not interfaces: the store takes them as plain records.

/** A cursor page (`after` is the id of the last element, to pass back as `after`; left out when empty). */
export interface ChatKitPage<T> {
  data: T[];
  has_more: boolean;
  after?: string;
}

/** An uploaded attachment as a user message carries it. */
export type ChatKitAttachment = {
  id: string;
  name: string;
  mime_type: string;
  type: "image" | "file";
  preview_url: string;
  /** The thread whose message carries it (set once a message references it). */
  thread_id?: string;
};

/** Where and how to send the bytes of a two-phase upload (multipart/form-data, field `file`). */
export interface ChatKitUploadDescriptor {
  url: string;
  method: "POST";
  /** Sent with the upload; they authorize it on their own (no other credentials needed). */
  headers: Record<string, string>;
}

/**
 * The answer to `attachments.create`: send the bytes as `upload_descriptor` says, then reference
 * `id`. An image carries its `preview_url` from the start (it answers once the bytes arrived).
 */
export interface ChatKitAttachmentUpload {
  id: string;
  name: string;
  mime_type: string;
  type: "image" | "file";
  upload_descriptor: ChatKitUploadDescriptor;
  preview_url?: string;
}

/** What the customer said. */
export type ChatKitUserMessageItem = {
  id: string;
  thread_id: string;
  type: "user_message";
  /** ISO 8601. */
  created_at: string;
  content: UserMessageContent[];
  attachments: ChatKitAttachment[];
  /** Left out when the customer quoted nothing. */
  quoted_text?: string;
  /** As the client sent them (`{}` when it sent none). */
  inference_options: { model?: string; tool_choice?: { id: string } };
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
  /** Left out while the thread has none. */
  title?: string;
  /** ISO 8601. */
  created_at: string;
  status: { type: "active" };
  /** Integration metadata (the official server sends `{}`). */
  metadata: Record<string, unknown>;
  items: ChatKitPage<ChatKitThreadItem>;
}

/** One text part of an assistant reply. */
export interface ChatKitOutputText {
  type: "output_text";
  text: string;
  annotations: never[];
}

/** How an assistant reply being streamed changes: a part opens, text arrives, the part closes. */
export type ChatKitItemUpdate =
  | { type: "assistant_message.content_part.added"; content_index: number; content: ChatKitOutputText }
  | { type: "assistant_message.content_part.text_delta"; content_index: number; delta: string }
  | { type: "assistant_message.content_part.done"; content_index: number; content: ChatKitOutputText };

/** A text chunk of the assistant reply being streamed. */
export type ChatKitTextDelta = Extract<
  ChatKitItemUpdate,
  { type: "assistant_message.content_part.text_delta" }
>;

/**
 * The stream events we emit. `error` carries our own words (`code: "custom"` with `message`), or
 * the official `stream.error` code the client words itself.
 */
export type ChatKitEvent =
  | { type: "thread.created"; thread: ChatKitThread }
  | { type: "thread.updated"; thread: ChatKitThread }
  | { type: "stream_options"; stream_options: { allow_cancel: boolean } }
  | { type: "thread.item.added"; item: ChatKitThreadItem }
  | { type: "thread.item.updated"; item_id: string; update: ChatKitItemUpdate }
  | { type: "thread.item.done"; item: ChatKitThreadItem }
  | { type: "thread.item.removed"; item_id: string }
  | { type: "error"; code: "custom"; message: string; allow_retry: boolean }
  | { type: "error"; code: "stream.error"; allow_retry: boolean };

/** The JSON error body of the endpoint (same as the rest of the API). */
export interface ChatKitErrorBody {
  error: { code: string; message: string };
}
