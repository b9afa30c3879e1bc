/**
 * ChatKit self-hosted protocol conformance: zod schemas, written from the OFFICIAL types (not from our
 * server), for every request, every stream event and every JSON response body of `POST /api/chatkit`.
 *
 * Sources read:
 * - github.com/openai/chatkit-python at commit dacc133c280b39b9334d06ea73f0f1c199e59927 (pyproject version
 *   1.6.5): `chatkit/types.py` (every model below), `chatkit/server.py` (`_serialize`, `_to_thread_response`,
 *   `_process_non_streaming`, `_process_streaming`, `_process_events`), `chatkit/errors.py` (`ErrorCode`),
 *   `chatkit/actions.py` (`Action`), `chatkit/icons.py` (`IconName`), `tests/test_chatkit_server.py`.
 *   The fixtures in test/protocol/conformance-schemas.test.ts were produced by serializing those very models
 *   with pydantic 2.13.4 the way `ChatKitServer._serialize` does.
 * - npm `@openai/chatkit@1.9.0`, `types/index.d.ts`: client-side types only; the only wire shapes it
 *   declares are `Attachment`, `UserMessageContent` and `ToolChoice`. Where it differs, types.py wins.
 *
 * Judgment calls:
 * 1. EMITTED vs RECEIVED. The official server writes every response body and SSE frame with
 *    `model_dump_json(by_alias=True, exclude_none=True, context={"exclude_metadata": True})`. Hence, in what
 *    the server emits:
 *    - a field typed `X | None` whose value is None is ABSENT: `.optional()`, and `null` is REJECTED
 *      (e.g. Thread `title`, `allowed_image_domains`, Page `after`, user message `quoted_text`,
 *      attachment `upload_descriptor`/`thread_id`, ErrorEvent `message`, NoticeEvent `title`);
 *    - a field with a non-None default is always PRESENT, so it is REQUIRED here: `attachments: []`,
 *      `annotations: []`, `inference_options: {}`, Page `has_more`, Thread `status` and `metadata`,
 *      ErrorEvent `code` and `allow_retry`, ClientEffectEvent `data`, input_tag `interactive`, entity
 *      source `interactive`/`data`, upload descriptor `headers`.
 *    `exclude_none` only drops model FIELDS: a null inside a `dict[str, Any]` (e.g. `data`) is kept, so
 *    free-form records accept any values.
 *    Requests are what pydantic VALIDATES instead: `X | None` there accepts null or absence, and fields with
 *    defaults may be absent (`metadata`, `order`, `interactive`, ...). `params` is required on every request.
 * 2. Thread `metadata`: `_to_thread_response` builds `Thread(...)` WITHOUT `metadata`, so every emitted
 *    Thread (thread.created, thread.updated, threads.get_by_id, threads.list, threads.update) carries exactly
 *    `"metadata": {}`, whatever the store holds. Required and must be `{}`.
 * 3. Attachment `metadata` is stripped by the `exclude_metadata` serialization context: never emitted, so an
 *    emitted attachment carrying `metadata` fails (strict object).
 * 4. Thread `items`: thread.created, thread.updated, threads.list and threads.update come from
 *    `_to_thread_response(ThreadMetadata)`, i.e. always `{"data": [], "has_more": false}`; that is enforced
 *    for those frames (`threadSummarySchema`). threads.get_by_id carries the first page (ascending).
 * 5. Hidden context items (`hidden_context_item`, `sdk_hidden_context`) are never sent to the client (the
 *    server swallows their thread.item.done and filters them from Thread.items and items.list).
 *    `threadItemSchema` mirrors the full types.py union; `clientThreadItemSchema` (used for every emitted
 *    frame and body) excludes them.
 * 6. Error event: `{type: "error", code, allow_retry, message?}`. `code` is `"stream.error"` (the only
 *    `ErrorCode` at this commit; the enum says "not closed", but pydantic rejects any other value) or
 *    `"custom"`. The official server sends `message` only for `CustomStreamError` (code "custom"); a
 *    `StreamError` or unexpected exception yields `{code: "stream.error", allow_retry}` with no message (the
 *    client shows its own localized text). A `message` alongside "stream.error" is still a valid model, so
 *    it is allowed.
 * 7. Datetimes: pydantic writes naive `datetime.now()` as `2025-10-07T14:03:11.482915` (no offset) and aware
 *    UTC as `...Z`; both (and `+hh:mm` offsets) are accepted, date-only strings and epoch numbers are not.
 * 8. URLs typed `AnyUrl` (`preview_url`, `upload_descriptor.url`) must be absolute (a relative `/path` fails).
 * 9. Strictness: every model with a closed field set is a strict object, requests included (pydantic would
 *    silently ignore an unknown request field, which is exactly the typo we want to catch). Loose
 *    (passthrough) on purpose: widget roots/components (chatkit/widgets.py, large and partly dynamic), the
 *    custom-action `action` (ChatKit.js may send `ActionConfig` extras), and the thread items the brief asks
 *    to check loosely (client_tool_call, widget, generated_image, structured_input, workflow, task, hidden
 *    context: `type` + base fields checked, the rest passed through), and the workflow `task` of
 *    workflow.task.* updates.
 * 10. Indexes (`content_index`, `annotation_index`, `task_index`, annotation `index`) must be non-negative
 *    integers (pydantic says `int`; a negative index addresses nothing).
 * 11. input_tag `data`: required, as in types.py (pydantic rejects a tag without it), although
 *    @openai/chatkit 1.9.0 declares `data?` optional on the client side.
 * 12. `IconName` (progress_update `icon`, entity source `icon`): the icons.py literal list, or `vendor:*` /
 *    `lucide:*`.
 */
import { z } from "zod";

// ---- Primitives ------------------------------------------------------------------------------------

/** ISO 8601 date-time as pydantic writes `datetime` (with or without offset, any sub-second precision). */
const dateTime = z.iso.datetime({ offset: true, local: true });
/** pydantic `AnyUrl`: an absolute URL. */
const anyUrl = z.url();
const index = z.number().int().nonnegative();
const record = z.record(z.string(), z.unknown());

const ICON_NAMES = [
  "agent",
  "analytics",
  "atom",
  "batch",
  "bolt",
  "book-open",
  "book-closed",
  "book-clock",
  "bug",
  "calendar",
  "chart",
  "check",
  "check-circle",
  "check-circle-filled",
  "chevron-left",
  "chevron-right",
  "circle-question",
  "clock",
  "compass",
  "confetti",
  "cube",
  "desktop",
  "document",
  "dot",
  "dots-horizontal",
  "dots-vertical",
  "empty-circle",
  "external-link",
  "globe",
  "keys",
  "lab",
  "images",
  "info",
  "lifesaver",
  "lightbulb",
  "mail",
  "map-pin",
  "maps",
  "mobile",
  "name",
  "notebook",
  "notebook-pencil",
  "page-blank",
  "phone",
  "play",
  "plus",
  "profile",
  "profile-card",
  "reload",
  "star",
  "star-filled",
  "search",
  "sparkle",
  "sparkle-double",
  "square-code",
  "square-image",
  "square-text",
  "suitcase",
  "settings-slider",
  "user",
  "wreath",
  "write",
  "write-alt",
  "write-alt2",
] as const;

/** `chatkit/icons.py` `IconName`. */
const iconName = z.union([z.enum(ICON_NAMES), z.string().regex(/^vendor:/), z.string().regex(/^lucide:/)]);

// ---- Pages -----------------------------------------------------------------------------------------

/** `Page[T]` as emitted: `has_more` always present, `after` absent when None. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.strictObject({
    data: z.array(item),
    has_more: z.boolean(),
    after: z.string().optional(),
  });
}

// ---- Sources and annotations -----------------------------------------------------------------------

const sourceBase = {
  title: z.string(),
  description: z.string().optional(),
  timestamp: z.string().optional(),
  group: z.string().optional(),
};

const fileSourceSchema = z.strictObject({ ...sourceBase, type: z.literal("file"), filename: z.string() });
const urlSourceSchema = z.strictObject({
  ...sourceBase,
  type: z.literal("url"),
  url: z.string(),
  attribution: z.string().optional(),
});
const entitySourceSchema = z.strictObject({
  ...sourceBase,
  type: z.literal("entity"),
  id: z.string(),
  icon: iconName.optional(),
  label: z.string().optional(),
  inline_label: z.string().optional(),
  interactive: z.boolean(),
  data: record,
  /** Deprecated and ignored, but still a field. */
  preview: z.literal("lazy").optional(),
});

/** `Annotation`. */
export const annotationSchema = z.strictObject({
  type: z.literal("annotation"),
  source: z.discriminatedUnion("type", [urlSourceSchema, fileSourceSchema, entitySourceSchema]),
  index: index.optional(),
});

/** `AssistantMessageContent` (`output_text`). */
export const assistantMessageContentSchema = z.strictObject({
  type: z.literal("output_text"),
  text: z.string(),
  annotations: z.array(annotationSchema),
});

// ---- Attachments -----------------------------------------------------------------------------------

/** `AttachmentUploadDescriptor`. */
export const uploadDescriptorSchema = z.strictObject({
  url: anyUrl,
  method: z.enum(["POST", "PUT"]),
  headers: z.record(z.string(), z.string()),
});

const attachmentBase = {
  id: z.string(),
  name: z.string(),
  mime_type: z.string(),
  upload_descriptor: uploadDescriptorSchema.optional(),
  thread_id: z.string().optional(),
  // `metadata` is never emitted (exclude_metadata context): not a key here, so strict objects reject it.
};

/** `Attachment` as emitted: file | image (image requires an absolute `preview_url`). */
export const attachmentSchema = z.discriminatedUnion("type", [
  z.strictObject({ ...attachmentBase, type: z.literal("file") }),
  z.strictObject({ ...attachmentBase, type: z.literal("image"), preview_url: anyUrl }),
]);

// ---- Thread items ----------------------------------------------------------------------------------

const itemBase = { id: z.string(), thread_id: z.string(), created_at: dateTime };

const userMessageContentSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("input_text"), text: z.string() }),
  z.strictObject({
    type: z.literal("input_tag"),
    id: z.string(),
    text: z.string(),
    data: record,
    group: z.string().optional(),
    interactive: z.boolean(),
  }),
]);

const inferenceOptionsSchema = z.strictObject({
  tool_choice: z.strictObject({ id: z.string() }).optional(),
  model: z.string().optional(),
});

/** `UserMessageItem`. */
export const userMessageItemSchema = z.strictObject({
  ...itemBase,
  type: z.literal("user_message"),
  content: z.array(userMessageContentSchema),
  attachments: z.array(attachmentSchema),
  quoted_text: z.string().optional(),
  inference_options: inferenceOptionsSchema,
});

/** `AssistantMessageItem`. */
export const assistantMessageItemSchema = z.strictObject({
  ...itemBase,
  type: z.literal("assistant_message"),
  content: z.array(assistantMessageContentSchema),
});

/** `EndOfTurnItem` (base fields only: a closed set). */
const endOfTurnItemSchema = z.strictObject({ ...itemBase, type: z.literal("end_of_turn") });

const looseItem = <T extends string>(type: T) => z.looseObject({ ...itemBase, type: z.literal(type) });

const clientItemVariants = [
  userMessageItemSchema,
  assistantMessageItemSchema,
  looseItem("client_tool_call"),
  looseItem("widget"),
  looseItem("generated_image"),
  looseItem("structured_input"),
  looseItem("workflow"),
  looseItem("task"),
  endOfTurnItemSchema,
] as const;

/** Every `ThreadItem` variant of types.py, hidden context items included. */
export const threadItemSchema = z.discriminatedUnion("type", [
  ...clientItemVariants,
  looseItem("hidden_context_item"),
  looseItem("sdk_hidden_context"),
]);

/** The `ThreadItem`s the server may send to the client (hidden context items are never sent). */
export const clientThreadItemSchema = z.discriminatedUnion("type", [...clientItemVariants]);

// ---- Threads ---------------------------------------------------------------------------------------

const threadStatusSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("active") }),
  z.strictObject({ type: z.literal("locked"), reason: z.string().optional() }),
  z.strictObject({ type: z.literal("closed"), reason: z.string().optional() }),
]);

const threadFields = {
  id: z.string(),
  title: z.string().optional(),
  created_at: dateTime,
  status: threadStatusSchema,
  allowed_image_domains: z.array(z.string()).optional(),
  /** Always `{}`: `_to_thread_response` never copies the stored metadata. */
  metadata: z.strictObject(
    {},
    { error: "must be exactly {} (the official _to_thread_response never copies thread metadata)" },
  ),
};

/** `Thread` as `_to_thread_response` emits it, with its first page of (client-visible) items. */
export const threadSchema = z.strictObject({ ...threadFields, items: pageSchema(clientThreadItemSchema) });

/**
 * A Thread built from `ThreadMetadata` (thread.created, thread.updated, threads.list, threads.update):
 * its `items` is always the empty default page.
 */
export const threadSummarySchema = z.strictObject({
  ...threadFields,
  // The default `Page()`: no `after` key at all (None is dropped).
  items: z.strictObject({ data: z.tuple([]), has_more: z.literal(false), after: z.never().optional() }),
});

// ---- Thread item updates ---------------------------------------------------------------------------

const widgetNode = z.looseObject({ type: z.string() });
const looseTask = z.looseObject({ type: z.enum(["custom", "web_search", "thought", "file", "image"]) });

/** `ThreadItemUpdate`: every variant of types.py. */
export const threadItemUpdateSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("assistant_message.content_part.added"),
    content_index: index,
    content: assistantMessageContentSchema,
  }),
  z.strictObject({
    type: z.literal("assistant_message.content_part.text_delta"),
    content_index: index,
    delta: z.string(),
  }),
  z.strictObject({
    type: z.literal("assistant_message.content_part.annotation_added"),
    content_index: index,
    annotation_index: index,
    annotation: annotationSchema,
  }),
  z.strictObject({
    type: z.literal("assistant_message.content_part.done"),
    content_index: index,
    content: assistantMessageContentSchema,
  }),
  z.strictObject({
    type: z.literal("widget.streaming_text.value_delta"),
    component_id: z.string(),
    delta: z.string(),
    done: z.boolean(),
  }),
  z.strictObject({
    type: z.literal("widget.component.updated"),
    component_id: z.string(),
    component: widgetNode,
  }),
  z.strictObject({ type: z.literal("widget.root.updated"), widget: widgetNode }),
  z.strictObject({ type: z.literal("workflow.task.added"), task_index: index, task: looseTask }),
  z.strictObject({ type: z.literal("workflow.task.updated"), task_index: index, task: looseTask }),
  z.strictObject({
    type: z.literal("generated_image.updated"),
    image: z.strictObject({ id: z.string(), url: z.string() }),
    progress: z.number().optional(),
  }),
]);

// ---- Stream events ---------------------------------------------------------------------------------

/** `ThreadStreamEvent`: every event the server may write as an SSE `data:` frame. */
export const chatKitEventSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("thread.created"), thread: threadSummarySchema }),
  z.strictObject({ type: z.literal("thread.updated"), thread: threadSummarySchema }),
  z.strictObject({ type: z.literal("thread.item.added"), item: clientThreadItemSchema }),
  z.strictObject({
    type: z.literal("thread.item.updated"),
    item_id: z.string(),
    update: threadItemUpdateSchema,
  }),
  z.strictObject({ type: z.literal("thread.item.done"), item: clientThreadItemSchema }),
  z.strictObject({ type: z.literal("thread.item.removed"), item_id: z.string() }),
  z.strictObject({ type: z.literal("thread.item.replaced"), item: clientThreadItemSchema }),
  z.strictObject({
    type: z.literal("stream_options"),
    stream_options: z.strictObject({ allow_cancel: z.boolean() }),
  }),
  z.strictObject({ type: z.literal("progress_update"), icon: iconName.optional(), text: z.string() }),
  z.strictObject({ type: z.literal("client_effect"), name: z.string(), data: record }),
  z.strictObject({
    type: z.literal("error"),
    code: z.enum(["stream.error", "custom"]),
    message: z.string().optional(),
    allow_retry: z.boolean(),
  }),
  z.strictObject({
    type: z.literal("notice"),
    level: z.enum(["info", "warning", "danger"]),
    message: z.string(),
    title: z.string().optional(),
  }),
]);

export type ChatKitEvent = z.infer<typeof chatKitEventSchema>;

// ---- Requests --------------------------------------------------------------------------------------

/** Request types answered with `text/event-stream` (`StreamingReq`). */
export const STREAMING_TYPES = [
  "threads.create",
  "threads.add_user_message",
  "threads.add_client_tool_output",
  "threads.add_structured_input",
  "threads.retry_after_item",
  "threads.custom_action",
] as const;

/** Request types answered with one JSON body (`NonStreamingReq`). */
export const NON_STREAMING_TYPES = [
  "threads.get_by_id",
  "threads.list",
  "items.list",
  "items.feedback",
  "attachments.create",
  "attachments.delete",
  "threads.update",
  "threads.delete",
  "input.transcribe",
  "threads.sync_custom_action",
] as const;

export type StreamingType = (typeof STREAMING_TYPES)[number];
export type NonStreamingType = (typeof NON_STREAMING_TYPES)[number];
export type RequestType = StreamingType | NonStreamingType;

const request = <T extends RequestType, P extends z.ZodType>(type: T, params: P) =>
  z.strictObject({
    type: z.literal(type),
    params,
    metadata: record.optional(),
  });

const userMessageInputSchema = z.strictObject({
  content: z.array(
    z.discriminatedUnion("type", [
      z.strictObject({ type: z.literal("input_text"), text: z.string() }),
      z.strictObject({
        type: z.literal("input_tag"),
        id: z.string(),
        text: z.string(),
        data: record,
        group: z.string().nullish(),
        interactive: z.boolean().optional(),
      }),
    ]),
  ),
  attachments: z.array(z.string()),
  quoted_text: z.string().nullish(),
  inference_options: z.strictObject({
    tool_choice: z.strictObject({ id: z.string() }).nullish(),
    model: z.string().nullish(),
  }),
});

const listParams = {
  limit: z.number().int().nullish(),
  order: z.enum(["asc", "desc"]).optional(),
  after: z.string().nullish(),
};

const customActionParams = z.strictObject({
  thread_id: z.string(),
  item_id: z.string().nullish(),
  action: z.looseObject({ type: z.string(), payload: z.unknown().optional() }),
});

/** `ChatKitReq`: every request the endpoint may receive, discriminated on `type`. */
export const chatKitRequestSchema = z.discriminatedUnion("type", [
  request("threads.create", z.strictObject({ input: userMessageInputSchema })),
  request(
    "threads.add_user_message",
    z.strictObject({ input: userMessageInputSchema, thread_id: z.string() }),
  ),
  // `result: Any` has no default, so the key is required (its value may be anything, null included).
  request("threads.add_client_tool_output", z.strictObject({ thread_id: z.string(), result: z.unknown() })),
  request(
    "threads.add_structured_input",
    z.strictObject({
      thread_id: z.string(),
      item_id: z.string(),
      input: z.strictObject({
        status: z.enum(["answered", "skipped"]).optional(),
        answers: z
          .record(
            z.string(),
            z.strictObject({ values: z.array(z.string()).optional(), skipped: z.boolean().optional() }),
          )
          .optional(),
      }),
    }),
  ),
  request("threads.retry_after_item", z.strictObject({ thread_id: z.string(), item_id: z.string() })),
  request("threads.custom_action", customActionParams),
  request("threads.get_by_id", z.strictObject({ thread_id: z.string() })),
  request("threads.list", z.strictObject(listParams)),
  request("items.list", z.strictObject({ thread_id: z.string(), ...listParams })),
  request(
    "items.feedback",
    z.strictObject({
      thread_id: z.string(),
      item_ids: z.array(z.string()),
      kind: z.enum(["positive", "negative"]),
    }),
  ),
  request(
    "attachments.create",
    z.strictObject({ name: z.string(), size: z.number().int(), mime_type: z.string() }),
  ),
  request("attachments.delete", z.strictObject({ attachment_id: z.string() })),
  request("threads.update", z.strictObject({ thread_id: z.string(), title: z.string() })),
  request("threads.delete", z.strictObject({ thread_id: z.string() })),
  request("input.transcribe", z.strictObject({ audio_base64: z.string(), mime_type: z.string() })),
  request("threads.sync_custom_action", customActionParams),
]);

export type ChatKitRequest = z.infer<typeof chatKitRequestSchema>;

// ---- Response bodies -------------------------------------------------------------------------------

/** The literal `b"{}"` of items.feedback, attachments.delete and threads.delete. */
const emptyBodySchema = z.strictObject({});

/** `TranscriptionResult`. */
export const transcriptionResultSchema = z.strictObject({ text: z.string() });

/** `SyncCustomActionResponse`. */
export const syncCustomActionResponseSchema = z.strictObject({
  updated_item: clientThreadItemSchema.optional(),
});

/** The JSON body each non-streaming request type is answered with. */
export const responseSchemas: Record<NonStreamingType, z.ZodType> = {
  "threads.get_by_id": threadSchema,
  "threads.list": pageSchema(threadSummarySchema),
  "items.list": pageSchema(clientThreadItemSchema),
  "items.feedback": emptyBodySchema,
  "attachments.create": attachmentSchema,
  "attachments.delete": emptyBodySchema,
  "threads.update": threadSummarySchema,
  "threads.delete": emptyBodySchema,
  "input.transcribe": transcriptionResultSchema,
  "threads.sync_custom_action": syncCustomActionResponseSchema,
};

// ---- Assertions ------------------------------------------------------------------------------------

function pathToString(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    out += typeof key === "number" ? `[${key}]` : `${out === "" ? "" : "."}${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}

/** `path: message` lines, with the branches of a failed (non-discriminated) union spelled out. */
function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        lines.push(`  - ${pathToString([...path, key])}: ${issue.message}`);
      }
      continue;
    }
    lines.push(`  - ${pathToString(path)}: ${issue.message}`);
    if (issue.code === "invalid_union") {
      issue.errors.forEach((branch, i) => {
        for (const line of formatIssues(branch, path)) lines.push(`    (option ${i + 1})${line.slice(3)}`);
      });
    }
  }
  return lines;
}

function typeOf(value: unknown): string {
  if (typeof value === "object" && value !== null && "type" in value && typeof value.type === "string") {
    return value.type;
  }
  return "<no type>";
}

function preview(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 400 ? `${json.slice(0, 400)}…` : json;
}

/** Parses one SSE frame (`data: {...}`, with or without the trailing blank line) or a bare JSON string. */
function parseFrame(frame: string): unknown {
  const data = frame
    .split(/\r?\n/)
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(5).replace(/^ /, ""));
  return JSON.parse(data.length > 0 ? data.join("\n") : frame);
}

/** The JSON payloads of the `data:` frames of a `text/event-stream` body, in order. */
export function parseSseBody(body: string): unknown[] {
  return body
    .split(/\r?\n\r?\n/)
    .filter((frame) => frame.trim() !== "")
    .map(parseFrame);
}

function checkEvent(value: unknown, what: string): void {
  const result = chatKitEventSchema.safeParse(value);
  if (!result.success) {
    throw new Error(
      `${what} does not conform to the official ThreadStreamEvent:\n` +
        `${formatIssues(result.error.issues).join("\n")}\n  frame: ${preview(value)}`,
    );
  }
}

/**
 * Throws unless `event` is a `ThreadStreamEvent` the official server could emit. Accepts the parsed
 * object, or the raw frame text (`data: {...}\n\n` or bare JSON).
 */
export function assertConformingEvent(event: unknown): void {
  const value = typeof event === "string" ? parseFrame(event) : event;
  checkEvent(value, `ChatKit event "${typeOf(value)}"`);
}

/**
 * Throws unless `body` is what the official server answers to a `type` request. For a streaming type,
 * `body` is the list of events (parsed objects or frame strings) or the whole `text/event-stream` text;
 * each frame is checked with {@link assertConformingEvent}.
 */
export function assertConformingResponse(type: RequestType, body: unknown): void {
  if ((STREAMING_TYPES as readonly string[]).includes(type)) {
    const events = typeof body === "string" ? parseSseBody(body) : body;
    if (!Array.isArray(events)) {
      throw new Error(`Response to "${type}" must be a stream of events, got: ${preview(body)}`);
    }
    events.forEach((event: unknown, i) => {
      const value = typeof event === "string" ? parseFrame(event) : event;
      checkEvent(value, `Event #${i} ("${typeOf(value)}") of the "${type}" stream`);
    });
    return;
  }
  const schema = responseSchemas[type as NonStreamingType];
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new Error(
      `Response body to "${type}" does not conform to the official server's:\n` +
        `${formatIssues(result.error.issues).join("\n")}\n  body: ${preview(body)}`,
    );
  }
}

/** Throws unless `request` is a valid `ChatKitReq` (as pydantic would parse it, but extra fields rejected). */
export function assertConformingRequest(request: unknown): void {
  const result = chatKitRequestSchema.safeParse(request);
  if (!result.success) {
    throw new Error(
      `ChatKit request "${typeOf(request)}" does not conform to the official ChatKitReq:\n` +
        `${formatIssues(result.error.issues).join("\n")}\n  request: ${preview(request)}`,
    );
  }
}
