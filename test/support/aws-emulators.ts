import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import S3rver from "s3rver";
import { ensureTables } from "../../src/adapters/dynamodb/setup.js";
import {
  DEFAULT_TABLE_NAMES,
  type DynamoDbTableNames,
  tableSpecs,
} from "../../src/adapters/dynamodb/tables.js";
import { makeTempDir } from "./temp-dir.js";

// The SDK warns once per process on Node 20; the tests run on Node 20 on purpose.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/**
 * Credentials every emulator accepts: s3rver checks them against its one built-in key pair
 * (S3RVER/S3RVER); dynalite and aws-ses-v2-local look only at the header's shape.
 */
export const TEST_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
export const TEST_REGION = "us-east-1";

/** Settings for a server process (or Lambda bundle) pointed at the emulators through the SDK's own variables. */
export function awsEnv(endpoints: {
  dynamodb?: string;
  s3?: string;
  sesv2?: string;
}): Record<string, string> {
  return {
    AWS_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...(endpoints.dynamodb ? { AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb } : {}),
    ...(endpoints.s3 ? { AWS_ENDPOINT_URL_S3: endpoints.s3 } : {}),
    ...(endpoints.sesv2 ? { AWS_ENDPOINT_URL_SESV2: endpoints.sesv2 } : {}),
  };
}

function endpointOf(address: AddressInfo | string | null): string {
  if (!address || typeof address === "string") throw new Error("emulator has no TCP address");
  return `http://127.0.0.1:${address.port}`;
}

/** A running dynalite (in memory) with every table created. */
export interface TestDynamoDb {
  endpoint: string;
  client: DynamoDBClient;
  tables: DynamoDbTableNames;
  close(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1 and creates the product's tables in it. */
export async function startDynalite(tables: DynamoDbTableNames = DEFAULT_TABLE_NAMES): Promise<TestDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = endpointOf(server.address());
  const client = new DynamoDBClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  await ensureTables(client, tableSpecs(tables));
  return {
    endpoint,
    client,
    tables,
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A running s3rver on a temp directory, with one bucket. */
export interface TestS3 {
  endpoint: string;
  bucket: string;
  close(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1 with `bucket` created. */
export async function startS3rver(bucket = "chatkit-attachment-bucket"): Promise<TestS3> {
  const temp = makeTempDir();
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: temp.dir,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  return {
    endpoint: endpointOf(address),
    bucket,
    async close() {
      await server.close();
      temp.remove();
    },
  };
}

/** An email as aws-ses-v2-local keeps it (parsed with mailparser; attachments base64). */
export interface SesStoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments: { contentId?: string; contentType: string; content: string; size: number }[];
}

/** A running aws-ses-v2-local. Its store is per process: one per test file. */
export interface TestSes {
  endpoint: string;
  emails(): Promise<SesStoredEmail[]>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

type StartSes = (config: { host: string; port: number }) => Promise<import("node:http").Server>;

/** Starts aws-ses-v2-local on 127.0.0.1. */
export async function startSesLocal(): Promise<TestSes> {
  // CommonJS: Node's import puts the module under default.default, vitest's under default.
  const module = (await import("aws-ses-v2-local")) as unknown as {
    default: StartSes | { default: StartSes };
  };
  const start = typeof module.default === "function" ? module.default : module.default.default;
  const server = await start({ host: "127.0.0.1", port: 0 });
  const endpoint = endpointOf(server.address());
  return {
    endpoint,
    async emails() {
      const response = await fetch(`${endpoint}/store`);
      return ((await response.json()) as { emails: SesStoredEmail[] }).emails;
    },
    async clear() {
      await fetch(`${endpoint}/clear-store`, { method: "POST" });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
