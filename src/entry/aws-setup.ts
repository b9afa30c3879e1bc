import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { ensureTables } from "../adapters/dynamodb/setup.js";
import { tableSpecs } from "../adapters/dynamodb/tables.js";
import { ensureBucket } from "../adapters/s3/setup.js";
import type { Config } from "../config.js";

/**
 * `lead-handoff aws-setup`: creates the DynamoDB tables (indexes, TTL where the endpoint has it)
 * and the bucket (lifecycle where it has it) from the same definitions the CDK stack uses, against
 * whatever endpoint the SDK's variables name. Safe to run again. Prints one line per resource.
 */
export async function awsSetup(config: Config, print: (line: string) => void): Promise<void> {
  const dynamodb = new DynamoDBClient({});
  try {
    for (const table of await ensureTables(dynamodb, tableSpecs(config.aws.tables))) {
      const ttl = table.ttlEnabled ? "TTL on ttl" : "no TTL API at this endpoint: rows expire by prune only";
      print(`table ${table.tableName}: ${table.created ? "created" : "exists"} (${ttl})`);
    }
  } finally {
    dynamodb.destroy();
  }
  if (!config.aws.bucket) {
    print("bucket: skipped (set ATTACHMENT_BUCKET to create it)");
    return;
  }
  const s3 = new S3Client({ forcePathStyle: config.aws.s3ForcePathStyle });
  try {
    const bucket = await ensureBucket(s3, config.aws.bucket, {
      attachmentDays: config.attachmentRetentionDays,
      leadEmailDays: config.lead.dedupeTtlDays + 1,
    });
    const lifecycle = bucket.lifecycleSet ? "lifecycle set" : "no lifecycle API at this endpoint";
    print(`bucket ${bucket.bucket}: ${bucket.created ? "created" : "exists"} (${lifecycle})`);
  } finally {
    s3.destroy();
  }
}
