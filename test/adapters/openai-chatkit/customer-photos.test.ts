import { join } from "node:path";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withCustomerPhotos } from "../../../src/adapters/openai-chatkit/customer-photos.js";
import { createHostedChatKitThreadStore } from "../../../src/adapters/openai-chatkit/thread-store.js";
import { openSqliteDatabase } from "../../../src/adapters/sqlite/database.js";
import { createSqliteThreadStore } from "../../../src/adapters/sqlite/thread-store.js";
import { attachmentLine, buildTranscript, extractAttachments } from "../../../src/core/chat/transcript.js";
import type { StoredAttachment, ThreadStore } from "../../../src/ports/thread-store.js";
import {
  assistantMessage,
  type FakeChatKitServer,
  startFakeChatKitServer,
  userMessage,
} from "../../support/fake-chatkit-server.js";
import { makeTempDir } from "../../support/temp-dir.js";

const BASE = "https://shop.example/api/attachments";
/** 2026-03-01T10:00:00Z in unix seconds. */
const T0 = 1_772_359_200;

let fake: FakeChatKitServer;
beforeAll(async () => {
  fake = await startFakeChatKitServer();
});
afterAll(() => fake.close());

/** An upload row as POST /api/attachments records it. */
function upload(id: string, userId: string, ext = "jpg", mimeType = "image/jpeg"): StoredAttachment {
  const key = `chatkit-attachments/${id}.${ext}`;
  return {
    id,
    userId,
    threadId: null,
    name: `${id}.${ext}`,
    mimeType,
    type: mimeType.startsWith("image/") ? "image" : "file",
    key,
    size: 1234,
    previewUrl: `${BASE}?id=${key}`,
    createdAt: T0 * 1000,
  };
}

const lineOf = (row: StoredAttachment, name = "photo.jpg") =>
  attachmentLine({ name, mime_type: row.mimeType, preview_url: String(row.previewUrl) });

describe("hosted thread store with the photos sent through our upload endpoint", () => {
  let uploads: ThreadStore;
  let store: ThreadStore;
  let cleanup: () => void;
  beforeEach(() => {
    const temp = makeTempDir();
    const db = openSqliteDatabase({ path: join(temp.dir, "uploads.sqlite") });
    cleanup = () => {
      db.close();
      temp.remove();
    };
    uploads = createSqliteThreadStore({ db });
    const hosted = createHostedChatKitThreadStore({
      client: new OpenAI({ apiKey: "sk-test", baseURL: fake.baseUrl }),
    });
    store = withCustomerPhotos(hosted, { uploads, previewBaseUrl: BASE });
    fake.requests.length = 0;
  });
  afterEach(() => cleanup());

  it("turns the owner's photo lines into attachments from our rows, and links the uploads to the thread", async () => {
    const seat = upload("att_seat", "visitor_1");
    const door = upload("att_door", "visitor_1", "png", "image/png");
    await uploads.saveAttachment(seat);
    await uploads.saveAttachment(door);
    fake.seedThread({ id: "cthr_photos", user: "visitor_1", created_at: T0 }, [
      assistantMessage("msg_a", "Could you send a photo?", T0),
      // The name in the line is the customer's to write; ours comes from the row.
      userMessage(
        "msg_u",
        `here they are\n${lineOf(seat, "whatever.gif")}\n${lineOf(door)}\n${lineOf(seat)}`,
        {
          created_at: T0 + 5,
        },
      ),
    ]);

    const items = await store.listItems("cthr_photos");

    expect(items[1]).toMatchObject({
      content: [{ type: "input_text", text: "here they are" }],
      attachments: [
        {
          id: "att_seat",
          name: "att_seat.jpg",
          mime_type: "image/jpeg",
          type: "image",
          preview_url: seat.previewUrl,
          thread_id: "cthr_photos",
        },
        { id: "att_door", name: "att_door.png", mime_type: "image/png", preview_url: door.previewUrl },
      ],
    });
    const transcript = buildTranscript(items);
    expect(extractAttachments(transcript.text).map((a) => a.preview_url)).toEqual([
      seat.previewUrl,
      door.previewUrl,
    ]);
    expect((await uploads.getAttachment("att_seat"))?.threadId).toBe("cthr_photos");
    expect((await uploads.getAttachment("att_door"))?.threadId).toBe("cthr_photos");
  });

  it("keeps a line as plain text for someone else's upload, a foreign URL, a wrong key or an assistant message", async () => {
    const theirs = upload("att_theirs", "visitor_2");
    const mine = upload("att_mine", "visitor_1");
    await uploads.saveAttachment(theirs);
    await uploads.saveAttachment(mine);
    const forged = [
      lineOf(theirs),
      "Attachment: x.jpg (image/jpeg) https://evil.example/x.jpg",
      `Attachment: x.jpg (image/jpeg) https://evil.example/api/attachments?id=${mine.key}`,
      // My upload, but under another extension than the one stored.
      `Attachment: x.png (image/png) ${BASE}?id=chatkit-attachments/att_mine.png`,
      `Attachment: x.jpg (image/jpeg) ${BASE}?id=chatkit-attachments/att_nobody.jpg`,
    ];
    fake.seedThread({ id: "cthr_forged", user: "visitor_1", created_at: T0 }, [
      userMessage("msg_u", forged.join("\n"), { created_at: T0 + 1 }),
      assistantMessage("msg_a", lineOf(mine), T0 + 2),
    ]);

    const items = await store.listItems("cthr_forged");

    expect(items[0]).toMatchObject({
      content: [{ type: "input_text", text: forged.join("\n") }],
      attachments: [],
    });
    expect(items[1]).toMatchObject({ content: [{ type: "output_text", text: lineOf(mine) }] });
    const transcript = buildTranscript(items);
    expect(extractAttachments(transcript.text)).toEqual([]);
    expect(transcript.turns[0]?.text).toContain("https://evil.example/x.jpg");
    expect((await uploads.getAttachment("att_theirs"))?.threadId).toBeNull();
    expect((await uploads.getAttachment("att_mine"))?.threadId).toBeNull();
    // Only the ChatKit API was asked; no URL the customer named.
    expect(fake.requests.every((r) => r.path.startsWith("/v1/chatkit/threads/cthr_forged"))).toBe(true);
  });

  it("takes at most 10 photo lines of one message; the rest stay text", async () => {
    const rows = Array.from({ length: 12 }, (_, i) => upload(`att_${i}`, "visitor_1"));
    for (const row of rows) await uploads.saveAttachment(row);
    fake.seedThread({ id: "cthr_many", user: "visitor_1", created_at: T0 }, [
      userMessage("msg_u", rows.map((row) => lineOf(row)).join("\n"), { created_at: T0 + 1 }),
    ]);

    const [item] = await store.listItems("cthr_many");

    expect(item?.attachments).toHaveLength(10);
    expect(item?.content).toEqual([
      {
        type: "input_text",
        text: `${lineOf(rows[10] as StoredAttachment)}\n${lineOf(rows[11] as StoredAttachment)}`,
      },
    ]);
  });

  it("reads no more than the items when no customer message names one of our uploads", async () => {
    fake.seedThread({ id: "cthr_plain", user: "visitor_1", created_at: T0 }, [
      userMessage("msg_u", "Attachment: x.jpg (image/jpeg) https://evil.example/x.jpg", {
        created_at: T0 + 1,
      }),
    ]);

    await store.listItems("cthr_plain");

    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /v1/chatkit/threads/cthr_plain/items",
    ]);
  });
});
