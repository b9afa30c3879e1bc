import { existsSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  awsEnv,
  startDynalite,
  startS3rver,
  type TestDynamoDb,
  type TestS3,
} from "../support/aws-emulators.js";
import { makeJpeg } from "../support/images.js";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import { type RecordingSes, startRecordingSesLocal } from "../support/ses-recorder.js";
import { joinDeltas, readSseEvents } from "../support/sse.js";
import { makeTempDir } from "../support/temp-dir.js";

/**
 * The whole lead journey on the production backends: `npm start` with `STORE=dynamodb BLOBS=s3
 * MAILER=ses`, pointed through the SDK's own endpoint variables at dynalite, s3rver and
 * aws-ses-v2-local, all on 127.0.0.1. Nothing is kept in DATA_DIR.
 */
describe("the lead journey on DynamoDB, S3 and SES (emulators)", () => {
  let dynamodb: TestDynamoDb;
  let s3: TestS3;
  let ses: RecordingSes;
  let server: ServerProcess;
  const temp = makeTempDir();

  beforeAll(async () => {
    [dynamodb, s3, ses] = await Promise.all([startDynalite(), startS3rver(), startRecordingSesLocal()]);
    server = await startServerProcess(temp.dir, {
      ...awsEnv({ dynamodb: dynamodb.endpoint, s3: s3.endpoint, sesv2: ses.endpoint }),
      STORE: "dynamodb",
      BLOBS: "s3",
      MAILER: "ses",
      ATTACHMENT_BUCKET: s3.bucket,
      S3_FORCE_PATH_STYLE: "true",
      SESSION_SECRET: "a-session-secret-of-at-least-32-characters",
      LEAD_EMAIL_TO: "owner@shop.example",
      LEAD_EMAIL_FROM: "leads@shop.example",
      LEAD_SWEEP_INTERVAL_SECONDS: "0",
    });
  }, 60_000);

  afterAll(async () => {
    server?.child.kill("SIGTERM");
    await server?.exited;
    await Promise.all([dynamodb?.close(), s3?.close(), ses?.close()]);
    temp.remove();
  });

  it("chat, photo, /lead: one SES email with the photo inline, a working SMS link, the photo downloadable", async () => {
    const base = server.baseUrl;
    const session = await fetch(`${base}/api/chatkit/session`, { method: "POST" });
    const { client_secret: secret } = (await session.json()) as { client_secret: string };
    const auth = { authorization: `Bearer ${secret}`, "content-type": "application/json" };
    const chatkit = (body: unknown) =>
      fetch(`${base}/api/chatkit`, { method: "POST", headers: auth, body: JSON.stringify(body) });
    const say = async (threadId: string, text: string, attachments: string[] = []) =>
      joinDeltas(
        await readSseEvents(
          await chatkit({
            type: "threads.add_user_message",
            params: { thread_id: threadId, input: { content: [{ type: "input_text", text }], attachments } },
          }),
        ),
      );

    const created = await chatkit({
      type: "threads.create",
      params: {
        input: {
          content: [{ type: "input_text", text: "Hi! The driver seat on my 2012 Honda Civic is torn" }],
          attachments: [],
        },
      },
      metadata: { attribution: { utm_source: "google", gclid: "Cj0KCQ-aws" } },
    });
    const events = (await readSseEvents(created)) as Array<{ type: string; thread?: { id: string } }>;
    const threadId = String(events[0]?.thread?.id);
    expect(threadId).toMatch(/^cthr_/);

    const photo = await makeJpeg(150_000);
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(photo)], { type: "image/jpeg" }), "seat.jpg");
    const upload = await fetch(`${base}/api/attachments`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    const attachment = (await upload.json()) as { id: string; preview_url: string };

    await say(threadId, "here's a photo of it", [attachment.id]);
    expect(await say(threadId, "I'm Maria Lopez, my number is 512-555-0123, text is best")).toMatch(
      /within one business day/i,
    );

    const trigger = () =>
      fetch(`${base}/lead`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ thread_id: threadId, reason: "chat_closed" }),
      }).then((r) => r.json() as Promise<{ ok: boolean; lead_reason: string; message_id?: string }>);
    const lead = await trigger();
    expect(lead).toMatchObject({ ok: true, lead_reason: "sent" });
    expect(await trigger()).toMatchObject({ lead_reason: "already_sent" });

    // Exactly one email, known by the Message-ID SES gave it.
    const stored = await ses.emails();
    expect(stored).toHaveLength(1);
    expect(lead.message_id).toBe(`<${stored[0]?.messageId}@email.amazonses.com>`);
    const [raw] = await ses.received();
    const mail = await simpleParser(raw as Buffer, { skipImageLinks: true });
    expect(mail.subject).toMatch(/Maria Lopez - 2012 Honda Civic/);
    const inline = mail.attachments.filter((a) => a.cid && a.contentDisposition === "inline");
    expect(inline).toHaveLength(1);
    expect(inline[0]?.content.equals(photo)).toBe(true);
    expect(String(mail.html)).toContain(`cid:${inline[0]?.cid}`);

    // The owner's "text the customer back" link answers from the DynamoDB token table.
    const smsPath = /\/sms\/[A-Za-z0-9_-]+/.exec(String(mail.text))?.[0];
    expect(smsPath).toBeDefined();
    const sms = await fetch(`${base}${smsPath}`);
    expect(sms.status).toBe(200);
    expect(await sms.text()).toContain("512");

    // The photo downloads through a short-lived presigned S3 URL (Lambda cannot answer 20 MB).
    const key = new URL(attachment.preview_url).searchParams.get("id");
    const download = await fetch(`${base}/api/attachments?id=${encodeURIComponent(String(key))}`, {
      redirect: "manual",
    });
    expect(download.status).toBe(302);
    const location = String(download.headers.get("location"));
    expect(location.startsWith(s3.endpoint)).toBe(true);
    const bytes = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(bytes.equals(photo)).toBe(true);

    // All state went to the emulators: no SQLite file, no local blobs or outbox.
    for (const local of ["lead-handoff.sqlite", "blobs", "outbox"])
      expect(existsSync(join(temp.dir, local))).toBe(false);
  });
});
