import { type FakeHttpServer, sendJson, startFakeHttpServer } from "./fake-http-server.js";

/** One answer of the fake: a secret (`{ SecretString }`, `{ SecretBinary }`), an error, or silence. */
export type FakeSecretsReply =
  | { secret: Record<string, string> }
  | { status: number; type: string; message: string }
  | { silent: true };

/**
 * Secrets Manager cannot run here: a fake on 127.0.0.1 that speaks its wire format (AWS JSON 1.1:
 * POST / with `X-Amz-Target`, JSON in and out), each request answered with the next queued reply
 * (none queued: no answer).
 */
export function startFakeSecretsManager(): Promise<FakeHttpServer<FakeSecretsReply>> {
  return startFakeHttpServer<FakeSecretsReply>((request, res, fake) => {
    const reply = fake.nextReply();
    if (!reply || "silent" in reply) return; // never answers
    if ("status" in reply) {
      // Real answers carry the name both ways; the SDK reads the header first.
      return sendJson(
        res,
        reply.status,
        { __type: reply.type, message: reply.message },
        { "x-amzn-ErrorType": reply.type, "content-type": "application/x-amz-json-1.1" },
      );
    }
    const { SecretId } = request.body as { SecretId: string };
    sendJson(
      res,
      200,
      { ARN: SecretId, Name: "lead-handoff/session", VersionId: "v1", ...reply.secret },
      { "content-type": "application/x-amz-json-1.1" },
    );
  });
}
