import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import type { IndexSpec, KeyAttribute, TableSpec } from "./tables.js";

/** What {@link ensureTables} did to one table. */
export interface TableSetupResult {
  tableName: string;
  created: boolean;
  /** False when the endpoint has no TTL API (dynalite): rows then expire only through prune. */
  ttlEnabled: boolean;
}

function attributeDefinitions(spec: TableSpec): CreateTableCommandInput["AttributeDefinitions"] {
  const all = new Map<string, KeyAttribute>();
  for (const key of [
    spec.partitionKey,
    spec.sortKey,
    ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ])
    if (key) all.set(key.name, key);
  return [...all.values()].map((key) => ({ AttributeName: key.name, AttributeType: key.type }));
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute) {
  return [
    { AttributeName: partitionKey.name, KeyType: "HASH" as const },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: "RANGE" as const }] : []),
  ];
}

function projection(index: IndexSpec) {
  if (index.project === "all") return { ProjectionType: "ALL" as const };
  if (index.project === "keys") return { ProjectionType: "KEYS_ONLY" as const };
  return { ProjectionType: "INCLUDE" as const, NonKeyAttributes: index.project };
}

/** The CreateTable request for a spec: on demand, with its indexes. */
export function createTableInput(spec: TableSpec): CreateTableCommandInput {
  return {
    TableName: spec.tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: attributeDefinitions(spec),
    KeySchema: keySchema(spec.partitionKey, spec.sortKey),
    ...(spec.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: spec.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: projection(index),
          })),
        }
      : {}),
  };
}

async function exists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === "ResourceNotFoundException") return false;
    throw error;
  }
}

async function enableTtl(client: DynamoDBClient, spec: TableSpec): Promise<boolean> {
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: spec.tableName,
        TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true },
      }),
    );
    return true;
  } catch (error) {
    const name = (error as { name?: string }).name;
    // Already on (a second run), or an emulator without the TTL API.
    if (name === "ValidationException" && /already enabled/i.test(String(error))) return true;
    if (name === "UnknownOperationException") return false;
    throw error;
  }
}

/**
 * Creates each missing table (waiting until it is ACTIVE) and turns TTL on where the endpoint
 * supports it. Existing tables are left as they are, so running it twice is safe; that includes an
 * index added to a spec later, which an existing table does not get (dynalite cannot add one to a
 * table, so it could not be tested here; docs/deploy-aws.md gives the command).
 */
export async function ensureTables(client: DynamoDBClient, specs: TableSpec[]): Promise<TableSetupResult[]> {
  const results: TableSetupResult[] = [];
  for (const spec of specs) {
    const created = !(await exists(client, spec.tableName));
    if (created) {
      await client.send(new CreateTableCommand(createTableInput(spec)));
      await waitUntilTableExists({ client, maxWaitTime: 120, minDelay: 1 }, { TableName: spec.tableName });
    }
    results.push({ tableName: spec.tableName, created, ttlEnabled: await enableTtl(client, spec) });
  }
  return results;
}
