import { SESv2Client } from "@aws-sdk/client-sesv2";
import { simpleParser } from "mailparser";
import { afterEach, describe, expect, it } from "vitest";
import {
  createSesMailer,
  SES_MAX_MESSAGE_BYTES,
  sesMessageIdHeader,
} from "../../../src/adapters/ses/mailer.js";
import { DeliveryError } from "../../../src/core/delivery.js";
import { composeLeadEmail } from "../../../src/core/email/compose.js";
import type { OutgoingMail } from "../../../src/ports/mailer.js";
import { buildMime } from "../../../src/services/mime.js";
import { runMailerContract } from "../../contracts/mailer.contract.js";
import { TEST_CREDENTIALS, TEST_REGION } from "../../support/aws-emulators.js";
import { sendJson, startFakeHttpServer } from "../../support/fake-http-server.js";
import { sampleEmailInput } from "../../support/lead-email.js";
import { startRecordingSesLocal } from "../../support/ses-recorder.js";

function sesClient(endpoint: string, options: { maxAttempts?: number } = {}): SESv2Client {
  return new SESv2Client({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, ...options });
}

// The emulator keeps a parsed copy only; the recorder in front of it keeps the raw bytes it got.
runMailerContract("ses (aws-ses-v2-local)", async () => {
  const ses = await startRecordingSesLocal();
  const client = sesClient(ses.endpoint);
  return {
    mailer: createSesMailer({ client }),
    received: () => ses.received(),
    assignsMessageId: true,
    async teardown() {
      client.destroy();
      await ses.close();
    },
  };
});

async function sampleMail(): Promise<OutgoingMail> {
  const email = composeLeadEmail(sampleEmailInput());
  return { raw: await buildMime(email), from: email.from, to: email.to, messageId: email.messageId };
}

/** A SESv2 endpoint on 127.0.0.1 that answers each SendEmail with the queued reply. */
interface SesReply {
  status: number;
  /** `x-amzn-ErrorType`, for an error. */
  type?: string;
  body: unknown;
}

async function startFakeSes() {
  return startFakeHttpServer<SesReply>((_request, res, fake) => {
    const reply = fake.nextReply() ?? { status: 200, body: { MessageId: "0100018f-fake" } };
    sendJson(res, reply.status, reply.body, reply.type ? { "x-amzn-ErrorType": reply.type } : {});
  });
}

describe("ses mailer", () => {
  it("builds SES's Message-ID header per region", () => {
    expect(sesMessageIdHeader("0100018f-abc-000000", "us-east-1")).toBe(
      "<0100018f-abc-000000@email.amazonses.com>",
    );
    expect(sesMessageIdHeader("0100018f-abc-000000", "eu-west-1")).toBe(
      "<0100018f-abc-000000@eu-west-1.amazonses.com>",
    );
  });

  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("answers the Message-ID SES writes from the MessageId it gave (the one the owner's inbox shows)", async () => {
    const ses = await startRecordingSesLocal();
    const client = sesClient(ses.endpoint);
    cleanups.push(ses.close, () => client.destroy());
    const mail = await sampleMail();
    const result = await createSesMailer({ client }).send(mail);
    const [stored] = await ses.emails();
    expect(stored?.messageId).toMatch(/^ses-\d+$/);
    expect(result.messageId).toBe(`<${stored?.messageId}@email.amazonses.com>`);
    expect(stored?.subject).toBe((await simpleParser(Buffer.from(mail.raw))).subject);
    expect(Buffer.from(mail.raw).equals((await ses.received())[0] ?? Buffer.alloc(0))).toBe(true);
  });

  it("sends the bytes as composed, with a bare-address envelope, the configuration set and ARN", async () => {
    const fake = await startFakeSes();
    const client = sesClient(fake.origin);
    cleanups.push(fake.close, () => client.destroy());
    const arn = "arn:aws:ses:us-east-1:123456789012:identity/craigs-upholstery.example";
    const mailer = createSesMailer({ client, configurationSet: "leads", fromArn: arn });
    const mail = {
      ...(await sampleMail()),
      from: "Tapicería José <leads@craigs-upholstery.example>",
      to: ["Craig <owner@craigs-upholstery.example>", "b@example.com"],
    };

    expect(await mailer.send(mail)).toEqual({ messageId: "<0100018f-fake@email.amazonses.com>" });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/v2/email/outbound-emails");
    expect(request?.body).toEqual({
      FromEmailAddress: "leads@craigs-upholstery.example",
      FromEmailAddressIdentityArn: arn,
      ConfigurationSetName: "leads",
      Destination: { ToAddresses: ["owner@craigs-upholstery.example", "b@example.com"] },
      Content: { Raw: { Data: Buffer.from(mail.raw).toString("base64") } },
    });
  });

  it("refuses a message over 40 MB permanently, before any request", async () => {
    const fake = await startFakeSes();
    const client = sesClient(fake.origin);
    cleanups.push(fake.close, () => client.destroy());
    const mail = { ...(await sampleMail()), raw: new Uint8Array(SES_MAX_MESSAGE_BYTES + 1) };
    const error = await createSesMailer({ client })
      .send(mail)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).permanent).toBe(true);
    expect((error as Error).message).toBe(
      "SES delivery failed: MessageTooLarge: the message is 41943041 bytes, " +
        "over SES's limit of 41943040 bytes; not sent",
    );
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    { status: 429, type: "TooManyRequestsException", permanent: false },
    { status: 400, type: "ThrottlingException", permanent: false },
    { status: 400, type: "LimitExceededException", permanent: false },
    { status: 400, type: "SendingPausedException", permanent: false },
    { status: 500, type: "InternalServiceErrorException", permanent: false },
    { status: 503, type: "ServiceUnavailable", permanent: false },
    { status: 403, type: "AccessDeniedException", permanent: false },
    { status: 400, type: "MessageRejected", permanent: true },
    { status: 400, type: "MailFromDomainNotVerifiedException", permanent: true },
    { status: 400, type: "AccountSuspendedException", permanent: true },
    { status: 400, type: "BadRequestException", permanent: true },
    { status: 404, type: "NotFoundException", permanent: true },
  ])("maps $type (HTTP $status) to permanent: $permanent", async ({ status, type, permanent }) => {
    const fake = await startFakeSes();
    // One attempt: the SDK would otherwise retry throttling and 5xx answers itself first.
    const client = sesClient(fake.origin, { maxAttempts: 1 });
    cleanups.push(fake.close, () => client.destroy());
    fake.enqueue({ status, type, body: { message: `SES says no\n(${type})` } });

    const error = await createSesMailer({ client })
      .send(await sampleMail())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).permanent).toBe(permanent);
    expect((error as Error).message).toBe(
      `SES delivery failed: ${type} (HTTP ${status}): SES says no (${type})`,
    );
    expect(fake.requests).toHaveLength(1);
  });

  it("lets the SDK retry throttling, then succeeds", async () => {
    const fake = await startFakeSes();
    const client = sesClient(fake.origin, { maxAttempts: 2 });
    cleanups.push(fake.close, () => client.destroy());
    fake.enqueue({
      status: 429,
      type: "TooManyRequestsException",
      body: { message: "Maximum sending rate exceeded." },
    });
    expect(await createSesMailer({ client }).send(await sampleMail())).toEqual({
      messageId: "<0100018f-fake@email.amazonses.com>",
    });
    expect(fake.requests).toHaveLength(2);
  });

  it("throws a temporary DeliveryError with the errno when SES cannot be reached", async () => {
    const fake = await startFakeSes();
    await fake.close(); // the port now refuses connections
    const client = sesClient(fake.origin, { maxAttempts: 1 });
    cleanups.push(() => client.destroy());
    const error = await createSesMailer({ client })
      .send(await sampleMail())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).permanent).toBe(false);
    expect((error as Error).message).toMatch(/^SES delivery failed: ECONNREFUSED: /);
  });
});
