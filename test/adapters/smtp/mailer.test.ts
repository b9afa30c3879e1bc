import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { createSmtpMailer } from "../../../src/adapters/smtp/mailer.js";
import { composeLeadEmail } from "../../../src/core/email/compose.js";
import { UpstreamError } from "../../../src/core/errors.js";
import { buildMime } from "../../../src/services/mime.js";
import { runMailerContract } from "../../contracts/mailer.contract.js";
import { sampleEmailInput } from "../../support/lead-email.js";

interface Delivery {
  raw: Buffer;
  from: string | null;
  to: string[];
}

/** An in-process SMTP server on 127.0.0.1 (random port, no TLS, no auth) that keeps what it gets. */
async function startSmtpServer(options: { reject?: "rcpt" | "data" } = {}) {
  const deliveries: Delivery[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (options.reject === "rcpt") {
        const error = Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (options.reject === "data") {
          return callback(Object.assign(new Error("Message rejected as spam"), { responseCode: 554 }));
        }
        const { mailFrom, rcptTo } = session.envelope;
        deliveries.push({
          raw: Buffer.concat(chunks),
          from: mailFrom ? mailFrom.address : null,
          to: rcptTo.map((r) => r.address),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

runMailerContract("smtp", async () => {
  const server = await startSmtpServer();
  return {
    mailer: createSmtpMailer({ url: `smtp://127.0.0.1:${server.port}` }),
    received: async () => server.deliveries.map((d) => d.raw),
    teardown: server.close,
  };
});

async function sampleMail() {
  const email = composeLeadEmail(sampleEmailInput());
  return { raw: await buildMime(email), from: email.from, to: email.to, messageId: email.messageId };
}

describe("smtp mailer", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it("uses the OutgoingMail as the envelope and sends the bytes unchanged", async () => {
    const server = await startSmtpServer();
    cleanups.push(server.close);
    const mailer = createSmtpMailer({ transport: { host: "127.0.0.1", port: server.port, secure: false } });
    const mail = await sampleMail();
    await mailer.send({
      ...mail,
      to: ["owner@craigs-upholstery.example", "backup@craigs-upholstery.example"],
    });
    const [delivery] = server.deliveries;
    expect(delivery?.from).toBe("leads@craigs-upholstery.example");
    expect(delivery?.to).toEqual(["owner@craigs-upholstery.example", "backup@craigs-upholstery.example"]);
    expect(delivery?.raw.equals(mail.raw)).toBe(true);
  });

  it.each(["rcpt", "data"] as const)(
    "throws an UpstreamError when the server rejects at %s",
    async (reject) => {
      const server = await startSmtpServer({ reject });
      cleanups.push(server.close);
      const mailer = createSmtpMailer({ url: `smtp://127.0.0.1:${server.port}` });
      const error = await mailer.send(await sampleMail()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect(String((error as Error).message)).toMatch(
        reject === "rcpt" ? /550|Mailbox unavailable/ : /554|spam/,
      );
      expect(server.deliveries).toHaveLength(0);
    },
  );

  it("throws when no server is listening", async () => {
    const server = await startSmtpServer();
    await server.close(); // the port is now free and refuses connections
    const mailer = createSmtpMailer({
      transport: { host: "127.0.0.1", port: server.port, connectionTimeout: 2000 },
    });
    await expect(mailer.send(await sampleMail())).rejects.toBeInstanceOf(UpstreamError);
  });
});
