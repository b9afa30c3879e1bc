import { describe, expect, it } from "vitest";
import { messageItemSchema, plainMessageItem, readMessageItem } from "../../../src/core/chat/message-item.js";

const photo = {
  id: "att_1",
  name: "seat.jpg",
  mime_type: "image/jpeg",
  type: "image",
  preview_url: "https://api.example.com/api/attachments?id=chatkit-attachments/att_1.jpg",
  thread_id: "cthr_1",
};
const user = {
  id: "msg_1",
  thread_id: "cthr_1",
  type: "user_message",
  created_at: "2026-01-01T00:00:00.000Z",
  content: [{ type: "input_text", text: "Torn seat" }],
  attachments: [photo],
  inference_options: {},
};
const assistant = {
  id: "msg_2",
  thread_id: "cthr_1",
  type: "assistant_message",
  created_at: "2026-01-01T00:00:01.000Z",
  content: [{ type: "output_text", text: "Send a photo?", annotations: [] }],
};

/** Items the hand reader answers: it must give exactly what the schema gives. */
const plain: Record<string, unknown> = {
  "our customer message": user,
  "our reply": assistant,
  "a reply with feedback": { ...assistant, feedback: "negative" },
  "feedback the schema drops": { ...assistant, feedback: "meh" },
  "a quote": { ...user, quoted_text: "What year is it?" },
  "a null quote": { ...user, quoted_text: null },
  "a quote that is not text": { ...user, quoted_text: 42 },
  "no content": { type: "user_message", created_at: "2026-01-01T00:00:00Z", attachments: [photo] },
  "a tag, a quote part and a part without text": {
    ...user,
    content: [
      { type: "input_tag", id: "t", text: "Seat repair", data: {} },
      { type: "quoted_text", text: "earlier" },
      { type: "image" },
    ],
  },
  "a hosted message with an ISO date": { ...assistant, type: "chatkit.assistant_message" },
};

/** Items only the schema answers (a field of another type: its `.catch` values, or a refusal). */
const schemaOnly: Record<string, unknown> = {
  "unix seconds": { ...user, type: "chatkit.user_message", created_at: 1_700_000_000 },
  "no date": { type: "assistant_message", content: [{ type: "output_text", text: "hi" }] },
  "an attachment name that is not text": { ...user, attachments: [{ ...photo, name: 7 }] },
  "an attachment of an unknown type": { ...user, attachments: [{ ...photo, type: "video" }] },
  "an attachment without a preview": { ...user, attachments: [{ ...photo, preview_url: undefined }] },
  "a part with null text": { ...user, content: [{ type: "input_text", text: null }] },
  "content that is not a list": { ...user, content: "Torn seat" },
  "another item type": { ...user, type: "widget" },
  "a neutral item": { role: "user", text: "hi" },
  "a list": [user],
  nothing: null,
};

describe("plainMessageItem", () => {
  for (const [name, item] of Object.entries(plain)) {
    it(`reads ${name} exactly as the schema does`, () => {
      const byHand = plainMessageItem(item);
      const bySchema = messageItemSchema.parse(item);
      expect(byHand).toEqual(bySchema);
      // Same keys in the same order: attachments go on into the lead email and its JSON.
      expect(JSON.stringify(byHand?.attachments)).toBe(JSON.stringify(bySchema.attachments));
      expect(readMessageItem(item)).toEqual(bySchema);
    });
  }

  for (const [name, item] of Object.entries(schemaOnly)) {
    it(`leaves ${name} to the schema`, () => {
      expect(plainMessageItem(item)).toBeUndefined();
      const parsed = messageItemSchema.safeParse(item);
      expect(readMessageItem(item)).toEqual(parsed.success ? parsed.data : null);
    });
  }
});
