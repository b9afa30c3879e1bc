import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { isConditionFailed } from "./client.js";

/** A stored item as the document client returns it. */
export type StoredItem = Record<string, unknown>;

/**
 * The non-null fields: a null field of a record is stored as an absent attribute (like the other
 * DynamoDB adapters), which also keeps null out of index key attributes, where it is refused.
 */
export function present<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null)) as {
    [K in keyof T]?: NonNullable<T[K]>;
  };
}

/**
 * Runs a key-condition query page after page until `max` items came back or none are left: a page
 * stops at `Limit` or at 1 MB, whichever comes first, so one request may not be enough.
 */
export async function queryUpTo(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, "Limit" | "ExclusiveStartKey">,
  max = Number.POSITIVE_INFINITY,
): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  let start: StoredItem | undefined;
  while (items.length < max) {
    const page = await client.send(
      new QueryCommand({
        ...input,
        ...(Number.isFinite(max) ? { Limit: max - items.length } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
    if (!start) break;
  }
  return items;
}

/** BatchWriteItem takes at most 25 requests. */
const BATCH_SIZE = 25;
/** Rounds of resending what BatchWriteItem left unprocessed (throttling) before giving up. */
const BATCH_ROUNDS = 8;

/** Deletes rows by key, 25 a request, resending (with backoff) what DynamoDB left unprocessed. */
export async function deleteKeys(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: StoredItem[],
): Promise<void> {
  for (let i = 0; i < keys.length; i += BATCH_SIZE) {
    let requests = keys.slice(i, i + BATCH_SIZE).map((Key) => ({ DeleteRequest: { Key } }));
    for (let round = 0; requests.length > 0; round++) {
      if (round === BATCH_ROUNDS) throw new Error(`could not delete ${requests.length} rows of ${tableName}`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
      const { UnprocessedItems } = await client.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (UnprocessedItems?.[tableName] ?? []).flatMap((request) =>
        request.DeleteRequest?.Key ? [{ DeleteRequest: { Key: request.DeleteRequest.Key } }] : [],
      );
    }
  }
}

// The attributes of an expiry index: every row of the table sets `expiry_list` to one constant, so
// a single index partition holds all rows ordered by `expires_at` (epoch ms), and "the oldest
// expired rows" is one key-condition query instead of a scan.
const EXPIRY_LIST = "expiry_list";
const EXPIRES_AT = "expires_at";

/** Where {@link pruneExpired} looks: a table keyed by one attribute, with an expiry index. */
export interface ExpiryIndex {
  client: DynamoDBDocumentClient;
  tableName: string;
  indexName: string;
  /** The table's partition key attribute (the only key; these tables have no sort key). */
  keyAttribute: string;
  /** The constant `expiry_list` value the rows carry. */
  list: string;
}

// Deletes sent at once: enough to finish a batch of 100 in a few round trips without bursting.
const PARALLEL_DELETES = 25;

/** A whole number of rows, at least 0. */
export function batchLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
}

/**
 * Deletes at most `limit` rows with `expires_at <= now`, oldest first, and answers how many went.
 * Each delete is conditional on the row still being expired: the index lags the table, and a
 * row re-put with a new expiry since it was listed must stay. DynamoDB TTL removes the same rows
 * on its own (within days); this makes the retention run exact and works where TTL is absent.
 */
export async function pruneExpired(index: ExpiryIndex, now: number, limit: number): Promise<number> {
  const want = batchLimit(limit);
  if (want === 0) return 0;
  const rows = await queryUpTo(
    index.client,
    {
      TableName: index.tableName,
      IndexName: index.indexName,
      KeyConditionExpression: "#list = :list AND #at <= :now",
      ExpressionAttributeNames: { "#list": EXPIRY_LIST, "#at": EXPIRES_AT },
      ExpressionAttributeValues: { ":list": index.list, ":now": now },
      ScanIndexForward: true,
    },
    want,
  );
  const keys = rows.map((row) => row[index.keyAttribute]);

  let deleted = 0;
  for (let i = 0; i < keys.length; i += PARALLEL_DELETES) {
    const results = await Promise.all(
      keys.slice(i, i + PARALLEL_DELETES).map((key) => deleteIfExpired(index, key, now)),
    );
    deleted += results.filter(Boolean).length;
  }
  return deleted;
}

/** A store's `prune(now, limit)`: {@link pruneExpired} over the table's expiry index. */
export function expiryPrune(index: ExpiryIndex): (now: number, limit: number) => Promise<number> {
  return (now, limit) => pruneExpired(index, now, limit);
}

async function deleteIfExpired(index: ExpiryIndex, key: unknown, now: number): Promise<boolean> {
  try {
    await index.client.send(
      new DeleteCommand({
        TableName: index.tableName,
        Key: { [index.keyAttribute]: key },
        ConditionExpression: "#at <= :now",
        ExpressionAttributeNames: { "#at": EXPIRES_AT },
        ExpressionAttributeValues: { ":now": now },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false; // renewed or already gone
    throw error;
  }
}
