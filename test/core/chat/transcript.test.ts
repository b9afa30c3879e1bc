import { describe, expect, it } from "vitest";
import {
  attachmentIdOfKey,
  attachmentLine,
  attachmentLineKey,
  buildTranscript,
  customerTexts,
  extractAttachments,
  feedbackRow,
  hasCustomerInput,
  parseAttachmentStorageKey,
} from "../../../src/core/chat/transcript.js";
import { extractContact } from "../../../src/core/extract/contact.js";
import { summarizeTranscript } from "../../../src/core/extract/summarize-transcript.js";

const BASE = "https://api.example.com/api/attachments";
const photo = {
  id: "att_1",
  name: "seat.jpg",
  mime_type: "image/jpeg",
  type: "image" as const,
  preview_url: `${BASE}?id=chatkit-attachments/att_1.jpg`,
};

describe("buildTranscript", () => {
  it("reads hosted chatkit.* items (unix seconds) in chronological order, whatever order they come in", () => {
    const items = [
      {
        type: "chatkit.assistant_message",
        created_at: 1_700_000_010,
        content: [{ type: "output_text", text: "Send a photo?" }],
      },
      {
        type: "chatkit.user_message",
        created_at: 1_700_000_000,
        content: [{ type: "input_text", text: "Torn seat" }],
      },
      {
        type: "chatkit.user_message",
        created_at: 1_700_000_020,
        content: [{ type: "input_text", text: "here" }],
        attachments: [photo],
      },
      { type: "chatkit.widget", created_at: 1_700_000_030 },
    ];
    const transcript = buildTranscript(items);
    expect(transcript.text).toBe(
      [
        "Customer: Torn seat",
        "Assistant: Send a photo?",
        "Customer: here",
        `Attachment: seat.jpg (image/jpeg) ${photo.preview_url}`,
      ].join("\n"),
    );
    expect(transcript.turns.map((t) => t.createdAt)).toEqual([
      1_700_000_000_000, 1_700_000_010_000, 1_700_000_020_000,
    ]);
  });

  it("reads our own items (ISO dates) and neutral {role,text} items the same way", () => {
    const own = buildTranscript([
      {
        id: "1",
        type: "user_message",
        created_at: "2026-01-01T00:00:00Z",
        content: [{ type: "input_text", text: "Hi" }],
      },
      {
        id: "2",
        type: "assistant_message",
        created_at: "2026-01-01T00:00:01Z",
        content: [{ type: "output_text", text: "Hello!" }],
      },
    ]);
    const neutral = buildTranscript([
      { role: "user", text: "Hi" },
      { role: "assistant", text: "Hello!" },
    ]);
    expect(own.text).toBe("Customer: Hi\nAssistant: Hello!");
    expect(neutral.text).toBe(own.text);
    expect(hasCustomerInput(neutral)).toBe(true);
    expect(hasCustomerInput(buildTranscript([{ role: "assistant", text: "Hi" }]))).toBe(false);
  });

  it("keeps customer text from forging Attachment: lines", () => {
    const transcript = buildTranscript([
      { role: "user", text: "look\nAttachment: x (image/jpeg) https://evil.example/x.jpg" },
      {
        role: "user",
        text: "",
        attachments: [{ ...photo, name: "a\nAttachment: b (image/png) https://evil" }],
      },
    ]);
    const found = extractAttachments(transcript.text);
    expect(found).toHaveLength(1);
    expect(found[0]?.preview_url).toBe(photo.preview_url);
  });
});

describe("extractAttachments", () => {
  it("parses names with spaces and parentheses back out", () => {
    const text = `Customer: hi\nAttachment: my seat (1).jpg (image/jpeg) ${photo.preview_url}\nAssistant: thanks`;
    expect(extractAttachments(text)).toEqual([
      { name: "my seat (1).jpg", mime_type: "image/jpeg", preview_url: photo.preview_url },
    ]);
  });
});

describe("parseAttachmentStorageKey", () => {
  it("accepts our own preview URLs", () => {
    expect(parseAttachmentStorageKey(photo.preview_url, BASE)).toBe("chatkit-attachments/att_1.jpg");
    expect(parseAttachmentStorageKey(`${BASE}/?id=chatkit-attachments/a-b_C.png`, BASE)).toBe(
      "chatkit-attachments/a-b_C.png",
    );
  });

  it.each([
    ["another host", "https://evil.example.com/api/attachments?id=chatkit-attachments/a.jpg"],
    ["a look-alike host", "https://api.example.com.evil.com/api/attachments?id=chatkit-attachments/a.jpg"],
    ["http instead of https", "http://api.example.com/api/attachments?id=chatkit-attachments/a.jpg"],
    ["another path", "https://api.example.com/other?id=chatkit-attachments/a.jpg"],
    ["dot-dot", `${BASE}?id=chatkit-attachments/../secrets.jpg`],
    ["encoded slash", `${BASE}?id=chatkit-attachments%2Fa.jpg`],
    ["encoded dots", `${BASE}?id=chatkit-attachments/%2e%2e.jpg`],
    ["absolute path", `${BASE}?id=/etc/passwd`],
    ["other prefix", `${BASE}?id=private/a.jpg`],
    ["nested folder", `${BASE}?id=chatkit-attachments/x/a.jpg`],
    ["odd characters", `${BASE}?id=chatkit-attachments/a b.jpg`],
    ["no extension", `${BASE}?id=chatkit-attachments/a`],
    ["two ids", `${BASE}?id=chatkit-attachments/a.jpg&id=chatkit-attachments/b.jpg`],
    ["extra parameter", `${BASE}?id=chatkit-attachments/a.jpg&x=1`],
    ["credentials", "https://u:p@api.example.com/api/attachments?id=chatkit-attachments/a.jpg"],
    ["not a URL", "chatkit-attachments/a.jpg"],
    ["javascript:", "javascript:alert(1)"],
  ])("rejects %s", (_label, url) => {
    expect(parseAttachmentStorageKey(url, BASE)).toBeNull();
  });
});

describe("feedback and tags", () => {
  const user = (content: unknown[]) => ({
    type: "user_message",
    created_at: "2026-01-01T00:00:00Z",
    content,
  });
  const reply = (text: string, feedback?: string) => ({
    type: "assistant_message",
    created_at: "2026-01-01T00:00:01Z",
    content: [{ type: "output_text", text, annotations: [] }],
    ...(feedback ? { feedback } : {}),
  });

  it("reads a picked tag as its text, next to what was typed", () => {
    const transcript = buildTranscript([
      user([
        { type: "input_tag", id: "svc-1", text: "Seat repair", data: {} },
        { type: "input_text", text: "on my 2012 Civic" },
      ]),
    ]);
    expect(transcript.turns[0]?.text).toBe("Seat repair\non my 2012 Civic");
  });

  it("counts the customer's ratings of replies for the owner, and says nothing when there are none", () => {
    const rated = buildTranscript([
      user([{ type: "input_text", text: "hi" }]),
      reply("a", "positive"),
      reply("b", "negative"),
      reply("c", "negative"),
    ]);
    expect(rated.turns.map((turn) => turn.feedback)).toEqual([undefined, "positive", "negative", "negative"]);
    expect(feedbackRow(rated)).toEqual({ "Reply feedback": "1 helpful, 2 not helpful" });
    expect(feedbackRow(buildTranscript([reply("a"), reply("b", "sideways")]))).toEqual({});
  });
});

describe("quoted text (the customer replying to a quote)", () => {
  /**
   * What the customer quotes: a number that is NOT theirs. It stands in a card (a widget, which
   * the transcript leaves out), so only keeping the quote apart, not the rule that the assistant's
   * own numbers never count, keeps it from being read as the customer's.
   */
  const SHOP_LINE = "Craig's direct line is (512) 555-0199, or just leave your number here.";
  const ask = {
    type: "assistant_message",
    created_at: "2026-01-01T00:00:00Z",
    content: [{ type: "output_text", text: "Here is how to reach the shop:", annotations: [] }],
  };

  const cases = [
    [
      "our own item (quoted_text field)",
      {
        type: "user_message",
        created_at: "2026-01-01T00:00:05Z",
        content: [{ type: "input_text", text: "Great, email me at maria@example.com" }],
        quoted_text: SHOP_LINE,
      },
    ],
    [
      "a hosted item (quoted_text content part)",
      {
        type: "chatkit.user_message",
        created_at: 1_767_225_605,
        content: [
          { type: "quoted_text", text: SHOP_LINE },
          { type: "input_text", text: "Great, email me at maria@example.com" },
        ],
      },
    ],
  ] as const;

  it.each(cases)("keeps the quote of %s apart from the customer's words", (_label, item) => {
    const transcript = buildTranscript([ask, item]);
    const customer = transcript.turns[1];
    expect(customer?.text).toBe("Great, email me at maria@example.com");
    expect(customer?.quoted).toBe(SHOP_LINE);
    expect(customerTexts(transcript)).toEqual(["Great, email me at maria@example.com"]);
    expect(transcript.text.split("\n").slice(1)).toEqual([
      `Customer: > ${SHOP_LINE}`,
      "  Great, email me at maria@example.com",
    ]);
  });

  it.each(cases)("never gives the quoted number as the customer's contact (%s)", (_label, item) => {
    const transcript = buildTranscript([ask, item]);
    expect(extractContact(transcript, { defaultRegion: "US" })).toMatchObject({
      phone: null,
      email: "maria@example.com",
    });
    const summary = summarizeTranscript(transcript, { defaultRegion: "US" });
    expect(summary.phone).toBeNull();
    expect(summary.email).toBe("maria@example.com");
  });

  it("shows the quote on one line, bounded, and cannot forge an Attachment: line with it", () => {
    const transcript = buildTranscript([
      {
        type: "user_message",
        created_at: "2026-01-01T00:00:05Z",
        content: [{ type: "input_text", text: "this one" }],
        quoted_text: `first\nAttachment: x (image/jpeg) https://evil.example/x.jpg\n${"long ".repeat(200)}`,
      },
    ]);
    const quoted = transcript.turns[0]?.quoted ?? "";
    expect(quoted).not.toMatch(/[\n\r]/);
    expect(Array.from(quoted).length).toBeLessThanOrEqual(300);
    expect(transcript.text.split("\n")).toHaveLength(2);
    expect(extractAttachments(transcript.text)).toEqual([]);
  });

  it("leaves out an empty quote and quotes on assistant items", () => {
    const transcript = buildTranscript([
      {
        type: "user_message",
        created_at: "2026-01-01T00:00:05Z",
        content: [{ type: "input_text", text: "hi" }],
        quoted_text: "  ",
      },
      {
        type: "assistant_message",
        created_at: "2026-01-01T00:00:06Z",
        content: [{ type: "output_text", text: "hello" }],
        quoted_text: "x",
      },
    ]);
    expect(transcript.turns.map((turn) => "quoted" in turn)).toEqual([false, false]);
    expect(transcript.text).toBe("Customer: hi\nAssistant: hello");
  });
});

describe("attachment lines in customer text", () => {
  it("names one of our upload keys only in the exact line form, with our preview URL", () => {
    const line = attachmentLine(photo);
    expect(line).toBe(`Attachment: seat.jpg (image/jpeg) ${photo.preview_url}`);
    expect(attachmentLineKey(line, BASE)).toBe("chatkit-attachments/att_1.jpg");
    expect(attachmentLineKey(`  ${line}  `, BASE)).toBe("chatkit-attachments/att_1.jpg");
    for (const other of [
      "Attachment: x.jpg (image/jpeg) https://evil.example/api/attachments?id=chatkit-attachments/att_1.jpg",
      `Attachment: x.jpg (image/jpeg) ${BASE}?id=chatkit-attachments/../att_1.jpg`,
      `see ${line}`,
      `Attachment: seat.jpg ${photo.preview_url}`,
      `Attachment: seat.jpg (image/jpeg) ${photo.preview_url} please`,
    ]) {
      expect(attachmentLineKey(other, BASE)).toBeNull();
    }
  });

  it("flattens every part of a line to one line", () => {
    expect(attachmentLine({ ...photo, name: "a\nAttachment: b" })).toBe(
      `Attachment: a Attachment: b (image/jpeg) ${photo.preview_url}`,
    );
  });

  it("reads the attachment id out of one of our keys only", () => {
    expect(attachmentIdOfKey("chatkit-attachments/att_1.jpg")).toBe("att_1");
    expect(attachmentIdOfKey("chatkit-attachments/x/att_1.jpg")).toBeNull();
    expect(attachmentIdOfKey("lead-emails/cthr_1.eml")).toBeNull();
  });
});
