import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the proxy saw: its operation (`DynamoDB_20120810.Query`) and JSON body. */
export interface SeenRequest {
  target: string;
  body: Record<string, unknown>;
}

/** An HTTP proxy between an SDK client and a DynamoDB endpoint, that can start refusing writes. */
export interface DynamoDbFaultProxy {
  /** Point the client here. */
  endpoint: string;
  /** Every request, in order of arrival. */
  readonly seen: SeenRequest[];
  /**
   * From now on, answers PutItem, UpdateItem and DeleteItem as a throttled table does (HTTP 400,
   * ProvisionedThroughputExceededException) without passing them on; reads still go through.
   */
  breakWrites(): void;
  close(): Promise<void>;
}

const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"]);

/** Starts the proxy on 127.0.0.1 in front of `upstream` (an `http://host:port` endpoint). */
export async function startDynamoDbFaultProxy(upstream: string): Promise<DynamoDbFaultProxy> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const seen: SeenRequest[] = [];
  let broken = false;

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const operation = String(incoming.headers["x-amz-target"] ?? "");
      seen.push({ target: operation, body: body.length > 0 ? JSON.parse(body.toString("utf8")) : {} });
      if (broken && WRITES.has(operation.split(".")[1] ?? "")) {
        outgoing.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
        outgoing.end(
          JSON.stringify({
            __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
            message: "fault proxy: writes are refused",
          }),
        );
        return;
      }
      const forward = request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
          agent,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on("error", (error) => outgoing.destroy(error));
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    breakWrites() {
      broken = true;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
