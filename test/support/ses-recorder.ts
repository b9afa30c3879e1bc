import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startSesLocal, type TestSes } from "./aws-emulators.js";

/** aws-ses-v2-local behind a recording proxy, so tests can see the raw bytes it received. */
export interface RecordingSes extends TestSes {
  /**
   * The raw MIME message of every email the emulator holds, in its order: the `Content.Raw.Data`
   * of the SendEmail request that the emulator answered with that email's MessageId.
   */
  received(): Promise<Buffer[]>;
}

const SEND_PATH = "/v2/email/outbound-emails";
/** Headers of this hop only (fetch sets its own, and refuses `expect`). */
const HOP_HEADERS = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "expect",
  "keep-alive",
]);

/**
 * Starts aws-ses-v2-local (its store cleared) and a proxy on 127.0.0.1 in front of it; point the
 * client at `endpoint` (the proxy). The emulator keeps only a parsed copy of each email (no raw
 * bytes, no Message-ID or other headers), so the proxy keeps what went over the wire to it.
 */
export async function startRecordingSesLocal(): Promise<RecordingSes> {
  const ses = await startSesLocal();
  await ses.clear();
  const raws = new Map<string, Buffer>();

  const proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === "string" && !HOP_HEADERS.has(name)) headers.set(name, value);
    const method = req.method ?? "GET";
    const upstream = await fetch(`${ses.endpoint}${req.url ?? "/"}`, {
      method,
      headers,
      ...(method === "GET" || method === "HEAD" ? {} : { body }),
    });
    const answer = Buffer.from(await upstream.arrayBuffer());
    if (method === "POST" && req.url === SEND_PATH && upstream.status === 200) {
      const { MessageId } = JSON.parse(answer.toString("utf8")) as { MessageId: string };
      const sent = JSON.parse(body.toString("utf8")) as { Content?: { Raw?: { Data?: string } } };
      raws.set(MessageId, Buffer.from(sent.Content?.Raw?.Data ?? "", "base64"));
    }
    res.writeHead(upstream.status, {
      "content-type": upstream.headers.get("content-type") ?? "application/octet-stream",
    });
    res.end(answer);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    emails: ses.emails,
    clear: async () => {
      raws.clear();
      await ses.clear();
    },
    async received() {
      return (await ses.emails()).map((email) => {
        const raw = raws.get(email.messageId);
        if (!raw) throw new Error(`the emulator holds ${email.messageId}, which did not pass the proxy`);
        return raw;
      });
    },
    async close() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await ses.close();
    },
  };
}
