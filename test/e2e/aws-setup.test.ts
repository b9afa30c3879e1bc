import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { GetBucketLocationCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tableSpecs } from "../../src/adapters/dynamodb/tables.js";
import { loadConfig } from "../../src/config.js";
import {
  awsEnv,
  startDynalite,
  startS3rver,
  TEST_CREDENTIALS,
  TEST_REGION,
  type TestDynamoDb,
  type TestS3,
} from "../support/aws-emulators.js";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "../../bin/lead-handoff.js");

/** `npx lead-handoff aws-setup` against empty emulators: every table with its indexes, and the bucket. */
describe("lead-handoff aws-setup", () => {
  let dynamodb: TestDynamoDb;
  let s3: TestS3;
  let env: Record<string, string>;
  beforeAll(async () => {
    // Empty emulators: dynalite with no tables (the names are fresh), s3rver with no bucket of that name.
    [dynamodb, s3] = await Promise.all([startDynalite(), startS3rver("some-other-bucket")]);
    env = {
      ...awsEnv({ dynamodb: dynamodb.endpoint, s3: s3.endpoint }),
      LEADS_TABLE: "shop-leads",
      ATTRIBUTION_TABLE: "shop-attribution",
      SMS_TOKENS_TABLE: "shop-sms-tokens",
      THREADS_TABLE: "shop-threads",
      RATE_LIMITS_TABLE: "shop-rate-limits",
      JOURNAL_TABLE: "shop-journal",
      ATTACHMENT_BUCKET: "shop-uploads",
      S3_FORCE_PATH_STYLE: "true",
    };
  });
  afterAll(async () => Promise.all([dynamodb?.close(), s3?.close()]));

  const setup = () => run(process.execPath, [BIN, "aws-setup"], { env: { ...process.env, ...env } });

  it("creates the tables (indexes as the stack declares them) and the bucket, and is safe to run again", async () => {
    const first = await setup();
    const lines = first.stdout.trim().split("\n");
    expect(lines).toContain(
      "table shop-leads: created (no TTL API at this endpoint: rows expire by prune only)",
    );
    expect(lines.at(-1)).toMatch(/^bucket shop-uploads: created \(/);

    for (const spec of tableSpecs(loadConfig(env).aws.tables)) {
      const { Table } = await dynamodb.client.send(new DescribeTableCommand({ TableName: spec.tableName }));
      expect(Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
      expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort()).toEqual(
        spec.indexes.map((i) => i.name).sort(),
      );
    }
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: TEST_REGION,
      credentials: TEST_CREDENTIALS,
      forcePathStyle: true,
    });
    await expect(
      client.send(new GetBucketLocationCommand({ Bucket: "shop-uploads" })),
    ).resolves.toBeDefined();
    client.destroy();

    const again = await setup();
    expect(again.stdout).toContain("table shop-threads: exists");
    expect(again.stdout).toContain("bucket shop-uploads: exists");
  });
});
