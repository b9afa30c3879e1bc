/**
 * The conformance schemas against payloads shaped exactly as the official chatkit-python server writes them.
 *
 * The OFFICIAL_* fixtures were produced from openai/chatkit-python @ dacc133c280b39b9334d06ea73f0f1c199e59927
 * (`chatkit/types.py` models, serialized with pydantic 2.13.4 through the same
 * `model_dump_json(by_alias=True, exclude_none=True, context={"exclude_metadata": True})` and
 * `_to_thread_response` as `ChatKitServer`), then pasted here verbatim. Requests are `ChatKitReq` models
 * dumped with plain `model_dump_json()`, as the official tests send them (so they carry explicit nulls).
 * Our server is not started here.
 */
import { describe, expect, it } from "vitest";
import {
  assertConformingEvent,
  assertConformingRequest,
  assertConformingResponse,
  attachmentSchema,
  chatKitEventSchema,
  chatKitRequestSchema,
  NON_STREAMING_TYPES,
  pageSchema,
  type RequestType,
  STREAMING_TYPES,
  threadItemSchema,
  threadSchema,
} from "../support/chatkit-conformance.js";

/** One customer message and one reply, as the official server serializes them (shared by the bodies below). */
const USER_ITEM = {
  id: "msg_1",
  thread_id: "thr_1",
  created_at: "2025-10-07T14:03:11.482915",
  type: "user_message",
  content: [
    { type: "input_text", text: "My boiler is leaking" },
    { type: "input_tag", id: "ent_1", text: "@Boiler", data: { sku: "B-1" }, interactive: false },
  ],
  attachments: [
    {
      id: "atc_1",
      name: "leak.jpg",
      mime_type: "image/jpeg",
      thread_id: "thr_1",
      type: "image",
      preview_url: "https://files.example.com/atc_1/preview",
    },
  ],
  inference_options: {},
};

const ASSISTANT_ITEM = {
  id: "msg_3",
  thread_id: "thr_1",
  created_at: "2025-10-07T14:03:11.482915",
  type: "assistant_message",
  content: [
    {
      annotations: [
        {
          type: "annotation",
          source: { title: "Guide", type: "url", url: "https://example.com/guide" },
          index: 5,
        },
      ],
      text: "Hello! When did it start?",
      type: "output_text",
    },
  ],
};

const OFFICIAL_EVENTS = {
  thread_created: {
    type: "thread.created",
    thread: {
      id: "thr_1",
      created_at: "2025-10-07T14:03:11.482915",
      status: { type: "active" },
      metadata: {},
      items: { data: [], has_more: false },
    },
  },
  thread_updated: {
    type: "thread.updated",
    thread: {
      title: "Boiler leak",
      id: "thr_1",
      created_at: "2025-10-07T14:03:11.482915",
      status: { type: "active" },
      metadata: {},
      items: { data: [], has_more: false },
    },
  },
  item_done_user: {
    type: "thread.item.done",
    item: USER_ITEM,
  },
  item_done_user_plain: {
    type: "thread.item.done",
    item: {
      id: "msg_2",
      thread_id: "thr_1",
      created_at: "2025-10-07T14:03:11.482915",
      type: "user_message",
      content: [{ type: "input_text", text: "hi" }],
      attachments: [],
      quoted_text: "earlier text",
      inference_options: { tool_choice: { id: "search" }, model: "gpt-5" },
    },
  },
  stream_options: { type: "stream_options", stream_options: { allow_cancel: true } },
  item_added_assistant: {
    type: "thread.item.added",
    item: {
      id: "msg_3",
      thread_id: "thr_1",
      created_at: "2025-10-07T14:03:11.482915",
      type: "assistant_message",
      content: [],
    },
  },
  part_added: {
    type: "thread.item.updated",
    item_id: "msg_3",
    update: {
      type: "assistant_message.content_part.added",
      content_index: 0,
      content: { annotations: [], text: "", type: "output_text" },
    },
  },
  text_delta: {
    type: "thread.item.updated",
    item_id: "msg_3",
    update: { type: "assistant_message.content_part.text_delta", content_index: 0, delta: "Hello! " },
  },
  annotation_added: {
    type: "thread.item.updated",
    item_id: "msg_3",
    update: {
      type: "assistant_message.content_part.annotation_added",
      content_index: 0,
      annotation_index: 0,
      annotation: {
        type: "annotation",
        source: { title: "Boiler", type: "entity", id: "ent_1", interactive: false, data: {} },
      },
    },
  },
  part_done: {
    type: "thread.item.updated",
    item_id: "msg_3",
    update: {
      type: "assistant_message.content_part.done",
      content_index: 0,
      content: { annotations: [], text: "Hello! When did it start?", type: "output_text" },
    },
  },
  item_done_assistant: {
    type: "thread.item.done",
    item: ASSISTANT_ITEM,
  },
  item_removed: { type: "thread.item.removed", item_id: "msg_3" },
  item_replaced: {
    type: "thread.item.replaced",
    item: ASSISTANT_ITEM,
  },
  progress: { type: "progress_update", text: "Looking up prices" },
  progress_icon: { type: "progress_update", icon: "search", text: "Searching" },
  client_effect: { type: "client_effect", name: "lead_sent", data: {} },
  error_stream: { type: "error", code: "stream.error", allow_retry: true },
  error_custom: { type: "error", code: "custom", message: "Too many messages", allow_retry: false },
  notice: { type: "notice", level: "warning", message: "Limit soon" },
  widget_delta: {
    type: "thread.item.updated",
    item_id: "msg_9",
    update: { type: "widget.streaming_text.value_delta", component_id: "t1", delta: "ab", done: false },
  },
  widget_root: {
    type: "thread.item.updated",
    item_id: "msg_9",
    update: {
      type: "widget.root.updated",
      widget: { type: "Card", children: [{ id: "t1", type: "Text", value: "Hi" }] },
    },
  },
  task_added: {
    type: "thread.item.updated",
    item_id: "msg_8",
    update: {
      type: "workflow.task.added",
      task_index: 0,
      task: { status_indicator: "none", type: "thought", content: "thinking" },
    },
  },
  generated_image: {
    type: "thread.item.updated",
    item_id: "msg_7",
    update: {
      type: "generated_image.updated",
      image: { id: "img_1", url: "https://example.com/i.png" },
      progress: 0.5,
    },
  },
  item_done_tool_call: {
    type: "thread.item.done",
    item: {
      id: "msg_5",
      thread_id: "thr_1",
      created_at: "2025-10-07T14:03:11.482915",
      type: "client_tool_call",
      status: "pending",
      call_id: "call_1",
      name: "get_location",
      arguments: { q: 1 },
    },
  },
  item_done_widget: {
    type: "thread.item.done",
    item: {
      id: "msg_9",
      thread_id: "thr_1",
      created_at: "2025-10-07T14:03:11.482915",
      type: "widget",
      widget: { type: "Card", children: [{ id: "t1", type: "Text", value: "Hi" }] },
    },
  },
  item_done_workflow: {
    type: "thread.item.done",
    item: {
      id: "msg_8",
      thread_id: "thr_1",
      created_at: "2025-10-07T14:03:11.482915",
      type: "workflow",
      workflow: {
        type: "reasoning",
        tasks: [{ status_indicator: "none", type: "thought", content: "x" }],
        summary: { duration: 3 },
        expanded: false,
      },
    },
  },
  item_done_task: {
    type: "thread.item.done",
    item: {
      id: "msg_10",
      thread_id: "thr_1",
      created_at: "2025-10-07T14:03:11.482915",
      type: "task",
      task: { status_indicator: "none", type: "custom", title: "Checked stock" },
    },
  },
  item_done_end_of_turn: {
    type: "thread.item.done",
    item: { id: "msg_11", thread_id: "thr_1", created_at: "2025-10-07T14:03:11.482915", type: "end_of_turn" },
  },
  item_done_generated_image: {
    type: "thread.item.done",
    item: {
      id: "msg_7",
      thread_id: "thr_1",
      created_at: "2025-10-07T14:03:11.482915",
      type: "generated_image",
    },
  },
  item_done_structured_input: {
    type: "thread.item.done",
    item: {
      id: "msg_12",
      thread_id: "thr_1",
      created_at: "2025-10-07T14:03:11.482915",
      type: "structured_input",
      status: "pending",
      inputs: [{ id: "q1", question: "When?", type: "freeform" }],
    },
  },
};

const OFFICIAL_RESPONSES = {
  get_by_id: {
    type: "threads.get_by_id",
    body: {
      title: "Boiler leak",
      id: "thr_1",
      created_at: "2025-10-07T14:03:11.482915",
      status: { type: "active" },
      metadata: {},
      items: {
        data: [USER_ITEM, ASSISTANT_ITEM],
        has_more: false,
      },
    },
  },
  threads_list: {
    type: "threads.list",
    body: {
      data: [
        {
          title: "Boiler leak",
          id: "thr_1",
          created_at: "2025-10-07T14:03:11.482915",
          status: { type: "active" },
          metadata: {},
          items: { data: [], has_more: false },
        },
        {
          id: "thr_0",
          created_at: "2025-10-07T14:03:11.482915",
          status: { type: "locked", reason: "done" },
          allowed_image_domains: ["example.com"],
          metadata: {},
          items: { data: [], has_more: false },
        },
      ],
      has_more: true,
      after: "thr_1",
    },
  },
  items_list: {
    type: "items.list",
    body: {
      data: [USER_ITEM, ASSISTANT_ITEM],
      has_more: false,
    },
  },
  items_list_more: {
    type: "items.list",
    body: {
      data: [
        {
          id: "msg_2",
          thread_id: "thr_1",
          created_at: "2025-10-07T14:03:11.482915",
          type: "user_message",
          content: [{ type: "input_text", text: "hi" }],
          attachments: [],
          quoted_text: "earlier text",
          inference_options: { tool_choice: { id: "search" }, model: "gpt-5" },
        },
      ],
      has_more: true,
      after: "msg_2",
    },
  },
  attachment_file_created: {
    type: "attachments.create",
    body: {
      id: "atc_2",
      name: "quote.pdf",
      mime_type: "application/pdf",
      upload_descriptor: {
        url: "https://files.example.com/atc_2/upload",
        method: "PUT",
        headers: { "x-amz-acl": "private" },
      },
      type: "file",
    },
  },
  attachment_image_created: {
    type: "attachments.create",
    body: {
      id: "atc_3",
      name: "photo.png",
      mime_type: "image/png",
      upload_descriptor: { url: "https://files.example.com/atc_3/upload", method: "POST", headers: {} },
      type: "image",
      preview_url: "https://files.example.com/atc_3/preview",
    },
  },
  attachment_image_direct: {
    type: "attachments.create",
    body: {
      id: "atc_4",
      name: "a.png",
      mime_type: "image/png",
      type: "image",
      preview_url: "https://files.example.com/atc_4",
    },
  },
  update: {
    type: "threads.update",
    body: {
      title: "Boiler leak",
      id: "thr_1",
      created_at: "2025-10-07T14:03:11.482915",
      status: { type: "active" },
      metadata: {},
      items: { data: [], has_more: false },
    },
  },
  transcribe: { type: "input.transcribe", body: { text: "hello" } },
  sync_custom_action_empty: { type: "threads.sync_custom_action", body: {} },
} satisfies Record<string, { type: RequestType; body: unknown }>;

const OFFICIAL_REQUESTS = {
  threads_create: {
    metadata: {},
    type: "threads.create",
    params: {
      input: {
        content: [{ type: "input_text", text: "Hello" }],
        attachments: ["atc_1"],
        quoted_text: null,
        inference_options: { tool_choice: null, model: null },
      },
    },
  },
  add_user_message: {
    metadata: {},
    type: "threads.add_user_message",
    params: {
      input: {
        content: [{ type: "input_text", text: "Hello" }],
        attachments: ["atc_1"],
        quoted_text: null,
        inference_options: { tool_choice: null, model: null },
      },
      thread_id: "thr_1",
    },
  },
  threads_list: { metadata: {}, type: "threads.list", params: { limit: null, order: "desc", after: null } },
  items_list: {
    metadata: {},
    type: "items.list",
    params: { thread_id: "thr_1", limit: 50, order: "asc", after: "msg_1" },
  },
  custom_action: {
    metadata: {},
    type: "threads.custom_action",
    params: { thread_id: "thr_1", item_id: null, action: { type: "submit", payload: { a: 1 } } },
  },
  structured: {
    metadata: {},
    type: "threads.add_structured_input",
    params: {
      thread_id: "thr_1",
      item_id: "msg_12",
      input: { status: "answered", answers: { q1: { values: ["today"], skipped: false } } },
    },
  },
};

type Path = readonly (string | number)[];

/** A deep copy of `value` with the value at `path` replaced (or deleted when `value` is `DELETE`). */
const DELETE = Symbol("delete");
function edit(base: unknown, path: Path, value: unknown): unknown {
  const copy: unknown = structuredClone(base);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return copy;
}
const without = (base: unknown, path: Path) => edit(base, path, DELETE);

describe("official payloads are accepted", () => {
  it.each(Object.entries(OFFICIAL_EVENTS))("event %s", (_name, event) => {
    expect(() => assertConformingEvent(event)).not.toThrow();
  });

  it.each(Object.entries(OFFICIAL_RESPONSES))("response %s", (_name, { type, body }) => {
    expect(() => assertConformingResponse(type, body)).not.toThrow();
  });

  it.each(Object.entries(OFFICIAL_REQUESTS))("request %s (pydantic dump, explicit nulls)", (_name, req) => {
    expect(() => assertConformingRequest(req)).not.toThrow();
  });

  it("covers every event type of ThreadStreamEvent", () => {
    const types = new Set(Object.values(OFFICIAL_EVENTS).map((event) => event.type));
    expect([...types].sort()).toEqual(
      [
        "thread.created",
        "thread.updated",
        "thread.item.added",
        "thread.item.updated",
        "thread.item.done",
        "thread.item.removed",
        "thread.item.replaced",
        "stream_options",
        "progress_update",
        "client_effect",
        "error",
        "notice",
      ].sort(),
    );
  });

  it("accepts the empty bodies of items.feedback, attachments.delete and threads.delete", () => {
    for (const type of ["items.feedback", "attachments.delete", "threads.delete"] as const) {
      expect(() => assertConformingResponse(type, {})).not.toThrow();
      expect(() => assertConformingResponse(type, { ok: true })).toThrow(/ok/);
    }
  });

  it("accepts a whole stream, as parsed events or as text/event-stream", () => {
    const stream = [
      OFFICIAL_EVENTS.thread_created,
      OFFICIAL_EVENTS.item_done_user,
      OFFICIAL_EVENTS.stream_options,
      OFFICIAL_EVENTS.item_added_assistant,
      OFFICIAL_EVENTS.part_added,
      OFFICIAL_EVENTS.text_delta,
      OFFICIAL_EVENTS.part_done,
      OFFICIAL_EVENTS.item_done_assistant,
    ];
    expect(() => assertConformingResponse("threads.create", stream)).not.toThrow();
    const sse = stream.map((event) => `data: ${JSON.stringify(event)}\n\n`).join("");
    expect(() => assertConformingResponse("threads.create", sse)).not.toThrow();
    expect(() =>
      assertConformingEvent(`data: ${JSON.stringify(OFFICIAL_EVENTS.text_delta)}\n\n`),
    ).not.toThrow();
  });

  it("accepts UTC and offset datetimes as well as pydantic's naive ones", () => {
    for (const created_at of [
      "2025-10-07T14:03:11Z",
      "2025-10-07T14:03:11.482Z",
      "2025-10-07T16:03:11+02:00",
    ]) {
      expect(() =>
        assertConformingEvent(edit(OFFICIAL_EVENTS.thread_created, ["thread", "created_at"], created_at)),
      ).not.toThrow();
    }
  });

  it("exports schemas usable on their own", () => {
    expect(threadSchema.safeParse(OFFICIAL_RESPONSES.get_by_id.body).success).toBe(true);
    expect(pageSchema(threadItemSchema).safeParse(OFFICIAL_RESPONSES.items_list.body).success).toBe(true);
    expect(attachmentSchema.safeParse(OFFICIAL_RESPONSES.attachment_image_created.body).success).toBe(true);
    expect(chatKitEventSchema.safeParse(OFFICIAL_EVENTS.notice).success).toBe(true);
    // The full ThreadItem union has the hidden items; the emitted frames do not (see below).
    const hidden = {
      id: "h",
      thread_id: "thr_1",
      created_at: "2025-10-07T14:03:11",
      type: "sdk_hidden_context",
    };
    expect(threadItemSchema.safeParse({ ...hidden, content: "x" }).success).toBe(true);
  });
});

describe("requests", () => {
  const input = { content: [{ type: "input_text", text: "Hi" }], attachments: [], inference_options: {} };
  const minimal: Record<RequestType, unknown> = {
    "threads.create": { type: "threads.create", params: { input } },
    "threads.add_user_message": { type: "threads.add_user_message", params: { thread_id: "t", input } },
    "threads.add_client_tool_output": {
      type: "threads.add_client_tool_output",
      params: { thread_id: "t", result: { ok: true } },
    },
    "threads.add_structured_input": {
      type: "threads.add_structured_input",
      params: { thread_id: "t", item_id: "i", input: {} },
    },
    "threads.retry_after_item": {
      type: "threads.retry_after_item",
      params: { thread_id: "t", item_id: "i" },
    },
    "threads.custom_action": {
      type: "threads.custom_action",
      params: { thread_id: "t", action: { type: "save", payload: { a: 1 }, handler: "server" } },
    },
    "threads.get_by_id": { type: "threads.get_by_id", params: { thread_id: "t" } },
    "threads.list": { type: "threads.list", params: {} },
    "items.list": { type: "items.list", params: { thread_id: "t", limit: 20, order: "asc" } },
    "items.feedback": {
      type: "items.feedback",
      params: { thread_id: "t", item_ids: ["i"], kind: "positive" },
    },
    "attachments.create": {
      type: "attachments.create",
      params: { name: "a.png", size: 12, mime_type: "image/png" },
    },
    "attachments.delete": { type: "attachments.delete", params: { attachment_id: "a" } },
    "threads.update": { type: "threads.update", params: { thread_id: "t", title: "New" } },
    "threads.delete": { type: "threads.delete", params: { thread_id: "t" } },
    "input.transcribe": {
      type: "input.transcribe",
      params: { audio_base64: "AAAA", mime_type: "audio/webm" },
    },
    "threads.sync_custom_action": {
      type: "threads.sync_custom_action",
      params: { thread_id: "t", item_id: "i", action: { type: "toggle" } },
    },
  };

  it("lists 6 streaming and 10 non-streaming types, matching the request union", () => {
    expect(STREAMING_TYPES).toHaveLength(6);
    expect(NON_STREAMING_TYPES).toHaveLength(10);
    const all = new Set<string>([...STREAMING_TYPES, ...NON_STREAMING_TYPES]);
    expect(all.size).toBe(16);
    expect(new Set(Object.keys(minimal))).toEqual(all);
  });

  it.each(Object.entries(minimal))("accepts a minimal %s (metadata omitted)", (_type, req) => {
    expect(chatKitRequestSchema.safeParse(req).success).toBe(true);
    expect(chatKitRequestSchema.safeParse({ ...(req as object), metadata: { page: "/" } }).success).toBe(
      true,
    );
  });

  it.each([
    ["no params", { type: "threads.list" }, "params"],
    ["metadata: null", { type: "threads.list", params: {}, metadata: null }, "metadata"],
    ["an unknown type", { type: "threads.archive", params: {} }, "type"],
    ["a misspelled field", { type: "threads.get_by_id", params: { threadId: "t" } }, "params.threadId"],
    [
      "tool output without result",
      { type: "threads.add_client_tool_output", params: { thread_id: "t" } },
      "params.result",
    ],
    [
      "an input_tag without data",
      {
        type: "threads.create",
        params: { input: { ...input, content: [{ type: "input_tag", id: "e", text: "@x" }] } },
      },
      "params.input.content[0].data",
    ],
    [
      "no inference_options",
      { type: "threads.create", params: { input: { ...input, inference_options: undefined } } },
      "params.input.inference_options",
    ],
    [
      "a non-integer size",
      { type: "attachments.create", params: { name: "a", size: 1.5, mime_type: "a/b" } },
      "params.size",
    ],
    [
      "a bad feedback kind",
      { type: "items.feedback", params: { thread_id: "t", item_ids: [], kind: "meh" } },
      "params.kind",
    ],
  ])("rejects %s", (_name, req, where) => {
    expect(() => assertConformingRequest(req)).toThrow(`- ${where}: `);
  });
});

describe("common mistakes are rejected", () => {
  const cases: [string, unknown, string][] = [
    // null instead of absent (exclude_none)
    ["thread title: null", edit(OFFICIAL_EVENTS.thread_created, ["thread", "title"], null), "thread.title"],
    [
      "page after: null",
      edit(OFFICIAL_EVENTS.thread_created, ["thread", "items", "after"], null),
      "thread.items.after",
    ],
    [
      "allowed_image_domains: null",
      edit(OFFICIAL_EVENTS.thread_created, ["thread", "allowed_image_domains"], null),
      "thread.allowed_image_domains",
    ],
    [
      "quoted_text: null",
      edit(OFFICIAL_EVENTS.item_done_user, ["item", "quoted_text"], null),
      "item.quoted_text",
    ],
    [
      "inference_options.model: null",
      edit(OFFICIAL_EVENTS.item_done_user, ["item", "inference_options", "model"], null),
      "item.inference_options.model",
    ],
    ["error message: null", edit(OFFICIAL_EVENTS.error_stream, ["message"], null), "message"],
    ["notice title: null", edit(OFFICIAL_EVENTS.notice, ["title"], null), "title"],
    ["progress icon: null", edit(OFFICIAL_EVENTS.progress, ["icon"], null), "icon"],
    [
      "attachment thread_id: null",
      edit(OFFICIAL_EVENTS.item_done_user, ["item", "attachments", 0, "thread_id"], null),
      "item.attachments[0].thread_id",
    ],
    // defaulted fields left out
    [
      "thread without metadata",
      without(OFFICIAL_EVENTS.thread_created, ["thread", "metadata"]),
      "thread.metadata",
    ],
    ["thread without status", without(OFFICIAL_EVENTS.thread_created, ["thread", "status"]), "thread.status"],
    [
      "page without has_more",
      without(OFFICIAL_EVENTS.thread_created, ["thread", "items", "has_more"]),
      "thread.items.has_more",
    ],
    [
      "user message without attachments",
      without(OFFICIAL_EVENTS.item_done_user, ["item", "attachments"]),
      "item.attachments",
    ],
    [
      "user message without inference_options",
      without(OFFICIAL_EVENTS.item_done_user, ["item", "inference_options"]),
      "item.inference_options",
    ],
    [
      "input_tag without interactive",
      without(OFFICIAL_EVENTS.item_done_user, ["item", "content", 1, "interactive"]),
      "item.content[1].interactive",
    ],
    [
      "output_text without annotations",
      without(OFFICIAL_EVENTS.part_done, ["update", "content", "annotations"]),
      "update.content.annotations",
    ],
    ["error without allow_retry", without(OFFICIAL_EVENTS.error_stream, ["allow_retry"]), "allow_retry"],
    ["error without code", without(OFFICIAL_EVENTS.error_custom, ["code"]), "code"],
    ["client_effect without data", without(OFFICIAL_EVENTS.client_effect, ["data"]), "data"],
    // wrong shapes
    ["an unknown event type", { type: "thread.item.streaming", item_id: "msg_3" }, "type"],
    [
      "text_delta without content_index",
      without(OFFICIAL_EVENTS.text_delta, ["update", "content_index"]),
      "update.content_index",
    ],
    [
      "a negative content_index",
      edit(OFFICIAL_EVENTS.text_delta, ["update", "content_index"], -1),
      "update.content_index",
    ],
    [
      "an unknown update type",
      edit(OFFICIAL_EVENTS.text_delta, ["update", "type"], "assistant_message.delta"),
      "update.type",
    ],
    ["an unknown error code", edit(OFFICIAL_EVENTS.error_stream, ["code"], "rate_limited"), "code"],
    ["a misspelled field", edit(OFFICIAL_EVENTS.text_delta, ["itemId"], "msg_3"), "itemId"],
    [
      "a non-empty thread metadata",
      edit(OFFICIAL_EVENTS.thread_updated, ["thread", "metadata"], { k: 1 }),
      "thread.metadata.k",
    ],
    [
      "thread.created carrying items",
      edit(OFFICIAL_EVENTS.thread_created, ["thread", "items"], OFFICIAL_RESPONSES.items_list.body),
      "thread.items.data",
    ],
    [
      "an epoch created_at",
      edit(OFFICIAL_EVENTS.item_done_assistant, ["item", "created_at"], 1759845791482),
      "item.created_at",
    ],
    [
      "a date-only created_at",
      edit(OFFICIAL_EVENTS.item_done_assistant, ["item", "created_at"], "2025-10-07"),
      "item.created_at",
    ],
    [
      "attachment metadata (never serialized)",
      edit(OFFICIAL_EVENTS.item_done_user, ["item", "attachments", 0, "metadata"], { key: "s3/atc_1" }),
      "item.attachments[0].metadata",
    ],
    [
      "a hidden context item sent to the client",
      {
        type: "thread.item.done",
        item: {
          id: "h",
          thread_id: "thr_1",
          created_at: "2025-10-07T14:03:11",
          type: "sdk_hidden_context",
          content: "x",
        },
      },
      "item.type",
    ],
    [
      "stream_options without allow_cancel",
      { type: "stream_options", stream_options: {} },
      "stream_options.allow_cancel",
    ],
    ["an unknown notice level", edit(OFFICIAL_EVENTS.notice, ["level"], "error"), "level"],
  ];

  it.each(cases)("event with %s", (_name, event, where) => {
    expect(() => assertConformingEvent(event)).toThrow(`- ${where}: `);
  });

  const file = OFFICIAL_RESPONSES.attachment_file_created.body;
  const image = OFFICIAL_RESPONSES.attachment_image_created.body;
  const responseCases: [string, RequestType, unknown, string][] = [
    [
      "upload_url instead of upload_descriptor",
      "attachments.create",
      {
        ...(without(file, ["upload_descriptor"]) as object),
        upload_url: "https://files.example.com/atc_2/upload",
      },
      "upload_url",
    ],
    [
      "upload_descriptor: null",
      "attachments.create",
      edit(file, ["upload_descriptor"], null),
      "upload_descriptor",
    ],
    ["an image without preview_url", "attachments.create", without(image, ["preview_url"]), "preview_url"],
    [
      "an image with preview_url: null",
      "attachments.create",
      edit(image, ["preview_url"], null),
      "preview_url",
    ],
    [
      "a relative preview_url",
      "attachments.create",
      edit(image, ["preview_url"], "/api/attachments/atc_3"),
      "preview_url",
    ],
    [
      "a GET upload method",
      "attachments.create",
      edit(file, ["upload_descriptor", "method"], "GET"),
      "upload_descriptor.method",
    ],
    [
      "upload headers left out",
      "attachments.create",
      without(file, ["upload_descriptor", "headers"]),
      "upload_descriptor.headers",
    ],
    ["an unknown attachment type", "attachments.create", edit(file, ["type"], "audio"), "type"],
    [
      "a thread with title: null",
      "threads.get_by_id",
      edit(OFFICIAL_RESPONSES.get_by_id.body, ["title"], null),
      "title",
    ],
    [
      "a page with after: null",
      "items.list",
      edit(OFFICIAL_RESPONSES.items_list.body, ["after"], null),
      "after",
    ],
    [
      "a hidden item in items.list",
      "items.list",
      edit(OFFICIAL_RESPONSES.items_list.body, ["data", 0, "type"], "hidden_context_item"),
      "data[0].type",
    ],
    [
      "a listed thread carrying items",
      "threads.list",
      edit(OFFICIAL_RESPONSES.threads_list.body, ["data", 0, "items"], OFFICIAL_RESPONSES.items_list.body),
      "data[0].items.data",
    ],
    ["a transcription without text", "input.transcribe", {}, "text"],
  ];

  it.each(responseCases)("response with %s", (_name, type, body, where) => {
    expect(() => assertConformingResponse(type, body)).toThrow(`- ${where}: `);
  });

  it("rejects a streaming response that is not a list of events", () => {
    expect(() => assertConformingResponse("threads.create", OFFICIAL_EVENTS.thread_created)).toThrow(
      /must be a stream of events/,
    );
  });

  it("names the frame, its type, the path and the zod message", () => {
    const stream = [
      OFFICIAL_EVENTS.stream_options,
      without(OFFICIAL_EVENTS.text_delta, ["update", "content_index"]),
    ];
    expect(() => assertConformingResponse("threads.add_user_message", stream)).toThrow(
      /Event #1 \("thread\.item\.updated"\) of the "threads\.add_user_message" stream[\s\S]*update\.content_index: Invalid input: expected number, received undefined/,
    );
    expect(() =>
      assertConformingEvent(edit(OFFICIAL_EVENTS.thread_created, ["thread", "title"], null)),
    ).toThrow(
      /ChatKit event "thread\.created" does not conform[\s\S]*thread\.title: Invalid input: expected string, received null/,
    );
    expect(() => assertConformingResponse("attachments.create", without(image, ["preview_url"]))).toThrow(
      /Response body to "attachments\.create"[\s\S]*preview_url: Invalid input/,
    );
  });
});
