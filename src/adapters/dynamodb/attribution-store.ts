import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Attribution } from "../../core/attribution.js";
import type { AttributionRecord, AttributionStore } from "../../ports/attribution-store.js";
import { isConditionFailed } from "./client.js";
import { expiryPrune } from "./queries.js";
import { INDEX, ttlSeconds } from "./tables.js";

/** Options of {@link createDynamoDbAttributionStore}. */
export interface DynamoDbAttributionStoreOptions {
  client: DynamoDBDocumentClient;
  /** The attribution table (`ATTRIBUTION_TABLE`), keyed by `thread_id`. */
  tableName: string;
  /**
   * Current time in epoch ms, to hide rows past their ttl (tests pass a fixed clock).
   * @default Date.now
   */
  now?: () => number;
}

/** The `expiry_list` value every row carries (see the `expiry` index). */
const EXPIRY_LIST_VALUE = "attribution";

/** One row as stored. */
interface AttributionItem {
  thread_id: string;
  /** A map of strings, read and written whole. */
  attribution: Attribution;
  created_at: number;
  /** Absent until the lead email went out (a null field is an absent attribute). */
  lead_sent_at?: number;
  /** The record's ttl in epoch ms (the port's unit), for reads and the expiry index. */
  expires_at: number;
  /** The same instant in epoch seconds, for DynamoDB TTL. */
  ttl: number;
  expiry_list: typeof EXPIRY_LIST_VALUE;
}

/**
 * Attribution per thread in the ChatkitLeadAttributionTable, one item per thread. The record's
 * ttl (ms) is kept as `expires_at` and, in seconds, as `ttl` for DynamoDB TTL. DynamoDB deletes
 * expired items lazily (up to days later), so `get` hides them itself, like the SQLite store.
 * `prune` deletes expired rows oldest first through the sparse `expiry` index, never a scan.
 */
export function createDynamoDbAttributionStore(options: DynamoDbAttributionStoreOptions): AttributionStore {
  const { client, tableName, now = Date.now } = options;

  return {
    async put(record) {
      const item: AttributionItem = {
        thread_id: record.threadId,
        attribution: record.attribution,
        created_at: record.createdAt,
        ...(record.leadSentAt === null ? {} : { lead_sent_at: record.leadSentAt }),
        expires_at: record.ttl,
        ttl: ttlSeconds(record.ttl),
        expiry_list: EXPIRY_LIST_VALUE,
      };
      await client.send(new PutCommand({ TableName: tableName, Item: item }));
    },
    async get(threadId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: { thread_id: threadId }, ConsistentRead: true }),
      );
      const item = Item as AttributionItem | undefined;
      if (!item || item.expires_at <= now()) return null;
      return toRecord(item);
    },
    async markLeadSent(threadId, at) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { thread_id: threadId },
            UpdateExpression: "SET lead_sent_at = :at",
            // Without the condition an update would create a bare row for an unknown thread.
            ConditionExpression: "attribute_exists(thread_id)",
            ExpressionAttributeValues: { ":at": at },
          }),
        );
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
    },
    prune: expiryPrune({
      client,
      tableName,
      indexName: INDEX.attributionExpiry,
      keyAttribute: "thread_id",
      list: EXPIRY_LIST_VALUE,
    }),
  };
}

function toRecord(item: AttributionItem): AttributionRecord {
  return {
    threadId: item.thread_id,
    // Written only by put() from an already validated Attribution, so it is trusted on the way back.
    attribution: item.attribution,
    createdAt: item.created_at,
    leadSentAt: item.lead_sent_at ?? null,
    ttl: item.expires_at,
  };
}
