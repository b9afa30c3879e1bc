import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAMBDA_FUNCTIONS } from "../../src/entry/lambda/functions.js";
import {
  awsEnv,
  startDynalite,
  startS3rver,
  type TestDynamoDb,
  type TestS3,
} from "../support/aws-emulators.js";
import type { FakeHttpServer } from "../support/fake-http-server.js";
import { type FakeSecretsReply, startFakeSecretsManager } from "../support/fake-secrets-manager.js";
import { makeJpeg } from "../support/images.js";
import {
  httpEvent,
  installLambdaStreamingRuntime,
  type LambdaResult,
  responseStream,
  resultBytes,
} from "../support/lambda-events.js";
import { type RecordingSes, startRecordingSesLocal } from "../support/ses-recorder.js";
import { makeTempDir } from "../support/temp-dir.js";

const ROOT = join(import.meta.dirname, "../..");
const SECRET_ID = "arn:aws:secretsmanager:us-east-1:123456789012:secret:lead-handoff/session";

type Handler = (event: unknown, ...rest: unknown[]) => Promise<unknown>;

/**
 * Every bundle `npm run build` makes, invoked the way Lambda invokes it: API Gateway v2 events
 * (and a Function URL in RESPONSE_STREAM mode for the chat), against dynalite, s3rver and
 * aws-ses-v2-local, with the session key from Secrets Manager's wire format. The bundles run from
 * a copy outside the repository, so they can only use what their own folder carries (sharp too).
 */
describe("the Lambda bundles", () => {
  const task = makeTempDir();
  let dynamodb: TestDynamoDb;
  let s3: TestS3;
  let ses: RecordingSes;
  let secrets: FakeHttpServer<FakeSecretsReply>;
  let env: Record<string, string>;
  const handlers = new Map<string, Handler>();

  beforeAll(async () => {
    execFileSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], { cwd: ROOT, stdio: "pipe" });
    cpSync(join(ROOT, "dist/lambda"), task.dir, { recursive: true });
    [dynamodb, s3, ses, secrets] = await Promise.all([
      startDynalite(),
      startS3rver(),
      startRecordingSesLocal(),
      startFakeSecretsManager(),
    ]);
    env = {
      ...awsEnv({ dynamodb: dynamodb.endpoint, s3: s3.endpoint, sesv2: ses.endpoint }),
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.origin,
      STORE: "dynamodb",
      BLOBS: "s3",
      MAILER: "ses",
      ATTACHMENT_BUCKET: s3.bucket,
      S3_FORCE_PATH_STYLE: "true",
      SESSION_SECRET_ID: SECRET_ID,
      PUBLIC_BASE_URL: "https://abc123.execute-api.us-east-1.amazonaws.com",
      LEAD_EMAIL_TO: "owner@shop.example",
      LEAD_EMAIL_FROM: "leads@shop.example",
      // Smaller than the test photo, so the lead email runs sharp from the bundle's own folder.
      LEAD_INLINE_ATTACHMENT_MAX_BYTES: "50000",
      LEAD_SWEEP_INTERVAL_SECONDS: "0",
      // The sweeper may hand a conversation off as soon as the customer stops typing.
      LEAD_IDLE_DELAY_SECONDS: "0",
      LOG_LEVEL: "silent",
      // Lambda has no writable DATA_DIR: anything written there would be a bug.
      DATA_DIR: "/nonexistent/lead-handoff",
    };
    Object.assign(process.env, env);
    installLambdaStreamingRuntime();
    for (const fn of LAMBDA_FUNCTIONS) {
      secrets.enqueue({ secret: { SecretString: "s".repeat(64) } });
      const module = (await import(pathToFileURL(join(task.dir, fn.name, "index.mjs")).href)) as {
        handler: Handler;
      };
      handlers.set(fn.name, module.handler);
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all([dynamodb?.close(), s3?.close(), ses?.close(), secrets?.close()]);
    task.remove();
  });

  const invoke = async (fn: string, request: Parameters<typeof httpEvent>[0]) =>
    (await (handlers.get(fn) as Handler)(httpEvent(request), {})) as LambdaResult;

  const chat = async (secret: string, body: unknown) => {
    const { stream, done } = responseStream();
    const event = httpEvent({
      method: "POST",
      url: "/api/chatkit",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    await (handlers.get("chatkit-chat") as Handler)(event, stream, {});
    return done;
  };

  const events = (body: string) =>
    body
      .split("\n\n")
      .filter((block) => block.startsWith("data: "))
      .map((block) => JSON.parse(block.slice(6)) as { type: string; thread?: { id: string } });

  it("each function's folder has its bundle and the web assets, and only the mail senders carry sharp", () => {
    for (const fn of LAMBDA_FUNCTIONS) {
      expect(existsSync(join(task.dir, fn.name, "index.mjs"))).toBe(true);
      expect(existsSync(join(task.dir, fn.name, "node_modules/sharp"))).toBe(fn.sendsMail);
      expect(existsSync(join(task.dir, fn.name, "widget.js"))).toBe(true);
      expect(existsSync(join(task.dir, fn.name, "demo/index.html"))).toBe(true);
    }
    // One cold start each, one secret read each.
    expect(secrets.requests).toHaveLength(LAMBDA_FUNCTIONS.length);
  });

  it("runs the lead journey through the functions: session, streamed chat, upload, lead email, SMS link, download", async () => {
    const session = await invoke("chatkit-session", { method: "POST", url: "/api/chatkit/session" });
    expect(session.statusCode).toBe(200);
    const { client_secret: secret } = JSON.parse(session.body) as { client_secret: string };

    const created = await chat(secret, {
      type: "threads.create",
      params: {
        input: {
          content: [{ type: "input_text", text: "My 2015 Ford F-150 seat is ripped" }],
          attachments: [],
        },
      },
    });
    expect(created.statusCode).toBe(200);
    expect(created.headers["content-type"]).toMatch(/text\/event-stream/);
    // Streamed: the events went out as separate writes, not one buffered body.
    expect(created.writes).toBeGreaterThan(2);
    const threadId = String(events(created.body)[0]?.thread?.id);
    expect(threadId).toMatch(/^cthr_/);

    const photo = await makeJpeg(150_000);
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(photo)], { type: "image/jpeg" }), "seat.jpg");
    const multipart = new Response(form);
    const upload = await invoke("chatkit-attachment-upload", {
      method: "POST",
      url: "/api/attachments",
      headers: {
        authorization: `Bearer ${secret}`,
        "content-type": String(multipart.headers.get("content-type")),
      },
      body: Buffer.from(await multipart.arrayBuffer()),
    });
    expect(upload.statusCode).toBe(201);
    const attachment = JSON.parse(upload.body) as { id: string; preview_url: string };

    const say = (text: string, attachments: string[] = []) =>
      chat(secret, {
        type: "threads.add_user_message",
        params: { thread_id: threadId, input: { content: [{ type: "input_text", text }], attachments } },
      });
    await say("photo attached", [attachment.id]);
    await say("I'm Sam Ortiz, 512-555-0188, text me");

    const lead = await invoke("chatkit-lead-email", {
      method: "POST",
      url: "/lead",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ thread_id: threadId, reason: "chat_closed" }),
    });
    expect(JSON.parse(lead.body)).toMatchObject({ ok: true, lead_reason: "sent" });
    const [raw] = await ses.received();
    const mail = await simpleParser(raw as Buffer, { skipImageLinks: true });
    expect(mail.subject).toMatch(/Sam Ortiz/);
    const inline = mail.attachments.filter((a) => a.cid && a.contentDisposition === "inline");
    expect(inline).toHaveLength(1);
    // Downscaled by sharp (from the function's own node_modules): a JPEG, smaller than the upload.
    expect(inline[0]?.contentType).toBe("image/jpeg");
    expect(inline[0]?.content.length).toBeLessThan(photo.length);

    const smsPath = /\/sms\/[A-Za-z0-9_-]+/.exec(String(mail.text))?.[0];
    const sms = await invoke("chatkit-sms-link", { method: "GET", url: String(smsPath) });
    expect(sms.statusCode).toBe(200);
    expect(resultBytes(sms).toString("utf8")).toContain("512");

    const key = String(new URL(attachment.preview_url).searchParams.get("id"));
    const download = await invoke("chatkit-attachment-upload", {
      method: "GET",
      url: `/api/attachments?id=${encodeURIComponent(key)}`,
    });
    expect(download.statusCode).toBe(302);
    const bytes = Buffer.from(await (await fetch(String(download.headers.location))).arrayBuffer());
    expect(bytes.equals(photo)).toBe(true);
  });

  it("serves the prebuilt widget and the health check from the web function", async () => {
    const widget = await invoke("chatkit-web", { method: "GET", url: "/widget.js" });
    expect(widget.statusCode).toBe(200);
    expect(widget.headers["content-type"]).toMatch(/javascript/);
    expect(resultBytes(widget).length).toBeGreaterThan(1000);
    const health = await invoke("chatkit-web", { method: "GET", url: "/healthz" });
    expect(JSON.parse(health.body)).toMatchObject({ ok: true, status: "ok" });
  });

  it("hands off a quiet conversation nobody triggered, from the scheduled sweeper", async () => {
    const session = await invoke("chatkit-session", { method: "POST", url: "/api/chatkit/session" });
    const { client_secret: secret } = JSON.parse(session.body) as { client_secret: string };
    const created = await chat(secret, {
      type: "threads.create",
      params: {
        input: {
          content: [
            { type: "input_text", text: "Headliner sagging in my 2009 Toyota Camry. Jo Lee, 512-555-0143" },
          ],
          attachments: [],
        },
      },
    });
    const threadId = String(events(created.body)[0]?.thread?.id);
    const before = (await ses.emails()).length;
    const report = (await (handlers.get("lead-sweeper") as Handler)({ source: "aws.events" }, {})) as {
      sent: number;
    };
    expect(report.sent).toBe(1);
    const emails = await ses.emails();
    expect(emails).toHaveLength(before + 1);
    expect(emails.at(-1)?.subject).toMatch(/2009 Toyota Camry/);
    expect(threadId).toMatch(/^cthr_/);
  });

  it("fails the cold start with one clear line when the session secret is missing", async () => {
    secrets.enqueue({
      status: 400,
      type: "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret.",
    });
    // Not spawnSync: the fake Secrets Manager answers from this process.
    const bundle = pathToFileURL(join(task.dir, "chatkit-session/index.mjs")).href;
    const child = spawn(
      process.execPath,
      ["--input-type=module", "-e", `await import(${JSON.stringify(bundle)})`],
      {
        env: { ...process.env, ...env, AWS_MAX_ATTEMPTS: "1" },
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).not.toBe(0);
    const line = stderr.split("\n").find((l) => l.startsWith("lead-handoff cannot start:"));
    expect(line, stderr).toMatch(/SESSION_SECRET_ID .*secretsmanager.*not found/i);
  });
});
