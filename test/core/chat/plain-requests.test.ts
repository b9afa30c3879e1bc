import { describe, expect, it } from "vitest";
import { plainEnvelope, plainMessageParams } from "../../../src/core/chat/plain-requests.js";
import {
  chatKitRequestSchema,
  threadAddUserMessageParamsSchema,
  threadCreateParamsSchema,
} from "../../../src/core/chat/protocol.js";

const text = (value: string) => ({ type: "input_text", text: value });
const input = { content: [text("Torn seat on my 2012 Civic")], attachments: [] };

/** Envelopes read by hand: exactly the schema's answer. */
const plainEnvelopes: Record<string, unknown> = {
  "a message": { type: "threads.add_user_message", params: { thread_id: "cthr_1", input } },
  "no params": { type: "threads.list" },
  "an unknown type (refused later, by name)": { type: "threads.nope", params: {} },
  "extra keys": { type: "threads.list", params: {}, extra: 1 },
  "the longest type": { type: "x".repeat(100) },
};
/** Envelopes only the schema answers. */
const schemaEnvelopes: Record<string, unknown> = {
  metadata: { type: "threads.create", params: { input }, metadata: { attribution: { utm_source: "x" } } },
  "no type": { params: {} },
  "an empty type": { type: "" },
  "a type too long": { type: "x".repeat(101) },
  "a type that is not text": { type: 7 },
  "a list": [{ type: "threads.list" }],
  nothing: null,
};

const addMessage = (params: Record<string, unknown>) => ({ thread_id: "cthr_1", input, ...params });
/** add_user_message params read by hand. */
const plainParams: Record<string, unknown> = {
  "text only": addMessage({}),
  "no attachments list": addMessage({ input: { content: [text("hi")] } }),
  "attachments and extra keys": addMessage({
    input: {
      content: [{ ...text("photos"), extra: true }, text("two")],
      attachments: ["att_1", "att_2"],
      x: 1,
    },
    y: 2,
  }),
  "attachments alone": addMessage({ input: { content: [], attachments: ["att_1"] } }),
  "twenty parts": addMessage({ input: { content: Array.from({ length: 20 }, () => text("a")) } }),
  "ten attachments": addMessage({
    input: { content: [], attachments: Array.from({ length: 10 }, (_, n) => `att_${n}`) },
  }),
};
/** add_user_message params only the schema answers (a refusal, or something richer). */
const schemaParams: Record<string, unknown> = {
  "a tag": addMessage({ input: { content: [{ type: "input_tag", id: "t", text: "Seat repair" }] } }),
  "a quote": addMessage({ input: { ...input, quoted_text: "What year?" } }),
  "a null quote": addMessage({ input: { ...input, quoted_text: null } }),
  "inference options": addMessage({ input: { ...input, inference_options: { model: "x" } } }),
  "a bad thread id": addMessage({ thread_id: "../etc" }),
  "no thread id": { input },
  "a thread id too long": addMessage({ thread_id: "a".repeat(129) }),
  "text that is not text": addMessage({ input: { content: [{ type: "input_text", text: 1 }] } }),
  "an unknown part": addMessage({ input: { content: [{ type: "input_image", url: "x" }] } }),
  "21 parts": addMessage({ input: { content: Array.from({ length: 21 }, () => text("a")) } }),
  "11 attachments": addMessage({
    input: { content: [], attachments: Array.from({ length: 11 }, (_, n) => `a${n}`) },
  }),
  "a bad attachment id": addMessage({ input: { content: [], attachments: ["a b"] } }),
  "content that is not a list": addMessage({ input: { content: "hi" } }),
  "no input": { thread_id: "cthr_1" },
  nothing: undefined,
};

describe("plainEnvelope", () => {
  for (const [name, body] of Object.entries(plainEnvelopes)) {
    it(`reads ${name} exactly as the schema does`, () => {
      expect(plainEnvelope(body)).toStrictEqual(chatKitRequestSchema.parse(body));
    });
  }
  for (const [name, body] of Object.entries(schemaEnvelopes)) {
    it(`leaves ${name} to the schema`, () => expect(plainEnvelope(body)).toBeUndefined());
  }
});

describe("plainMessageParams", () => {
  for (const [name, params] of Object.entries(plainParams)) {
    it(`reads ${name} exactly as the schemas do`, () => {
      const added = plainMessageParams("threads.add_user_message", params);
      expect(added).toStrictEqual(threadAddUserMessageParamsSchema.parse(params));
      // Same keys in the same order: the parts are stored and sent back as they are.
      expect(JSON.stringify(added)).toBe(JSON.stringify(threadAddUserMessageParamsSchema.parse(params)));
      const created = plainMessageParams("threads.create", params);
      expect(JSON.stringify(created)).toBe(JSON.stringify(threadCreateParamsSchema.parse(params)));
    });
  }
  for (const [name, params] of Object.entries(schemaParams)) {
    it(`leaves ${name} to the schema`, () => {
      expect(plainMessageParams("threads.add_user_message", params)).toBeUndefined();
    });
  }
});
