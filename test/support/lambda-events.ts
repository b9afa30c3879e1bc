import { Writable } from "node:stream";

/**
 * What the Lambda Node.js runtime gives a function in `RESPONSE_STREAM` mode: the global
 * `awslambda.streamifyResponse` and `awslambda.HttpResponseStream.from`. The runtime cannot run
 * here, so this puts the same two functions in place with the runtime's wire behaviour: `from`
 * writes the JSON metadata prelude and eight NUL bytes, then the body follows on the same stream.
 */
export function installLambdaStreamingRuntime(): void {
  type StreamHandler = (event: unknown, stream: Writable, context: unknown) => Promise<void>;
  (globalThis as Record<string, unknown>).awslambda = {
    streamifyResponse: (handler: StreamHandler) => handler,
    HttpResponseStream: {
      from(stream: Writable, metadata: unknown) {
        stream.write(JSON.stringify(metadata));
        stream.write(Buffer.alloc(8));
        return stream;
      },
    },
  };
}

/** A streamed response as the client of a Function URL would see it, with when each write came. */
export interface StreamedResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** How many body writes arrived, and how many before the stream ended. */
  writes: number;
}

/** A response stream like the runtime's: records the prelude, then each body write. */
export function responseStream(): { stream: Writable; done: Promise<StreamedResponse> } {
  const chunks: Buffer[] = [];
  let resolve!: (value: StreamedResponse) => void;
  const done = new Promise<StreamedResponse>((r) => {
    resolve = r;
  });
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
    final(callback) {
      const all = Buffer.concat(chunks);
      const split = all.indexOf(Buffer.alloc(8));
      const metadata = JSON.parse(all.subarray(0, split).toString("utf8")) as {
        statusCode: number;
        headers: Record<string, string>;
      };
      resolve({
        statusCode: metadata.statusCode,
        headers: metadata.headers,
        body: all.subarray(split + 8).toString("utf8"),
        writes: chunks.length - 2,
      });
      callback();
    },
  });
  return { stream, done };
}

/** An API Gateway HTTP API (payload 2.0) / Function URL event, as AWS sends it. */
export function httpEvent(request: {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  sourceIp?: string;
}): Record<string, unknown> {
  const url = new URL(request.url, "https://abc123.execute-api.us-east-1.amazonaws.com");
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: { host: url.host, "x-forwarded-proto": "https", ...request.headers },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: url.host,
      domainPrefix: "abc123",
      http: {
        method: request.method,
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp ?? "203.0.113.7",
        userAgent: "test",
      },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: "$default",
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body ? { body: body.toString("base64"), isBase64Encoded: true } : { isBase64Encoded: false }),
  };
}

/** The buffered answer of a non-streaming handler (`hono/aws-lambda`'s `handle`). */
export interface LambdaResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
  cookies?: string[];
}

/** The body of a buffered answer as bytes. */
export function resultBytes(result: LambdaResult): Buffer {
  return Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8");
}
