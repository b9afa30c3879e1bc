import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Attribution } from "../../core/attribution.js";
import type { AttributionRecord, AttributionStore, LeadsSentCursor } from "../../ports/attribution-store.js";
import { isConditionFailed } from "./client.js";
import { expiryPrune, queryUpTo, type StoredItem } from "./queries.js";
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

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_SIZE = 100;
/** Rounds of asking again for what BatchGetItem left unprocessed (throttling) before giving up. */
const BATCH_GET_ROUNDS = 8;

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
    async listLeadsSent({ since, limit, after }) {
      if (limit <= 0) return [];
      const at = now();
      // No index orders rows by lead_sent_at (adding one means a table change on every deployment):
      // the live rows come from the expiry index, keys only, and are read whole in batches. That is
      // every row of the retention window, fine for one shop's chats and an export run now and then;
      // a sparse `lead_sent_at` index is the way up should it ever not be.
      const keys = await queryUpTo(client, {
        TableName: tableName,
        IndexName: INDEX.attributionExpiry,
        KeyConditionExpression: "expiry_list = :list AND expires_at > :now",
        ExpressionAttributeValues: { ":list": EXPIRY_LIST_VALUE, ":now": at },
      });
      const items = await batchGet(
        client,
        tableName,
        keys.map((key) => ({ thread_id: key.thread_id })),
      );
      return (items as unknown as AttributionItem[])
        .filter(
          (item): item is AttributionItem & { lead_sent_at: number } =>
            item.expires_at > at &&
            item.lead_sent_at !== undefined &&
            item.lead_sent_at >= since &&
            isAfter(item.lead_sent_at, item.thread_id, after),
        )
        .sort((a, b) => a.lead_sent_at - b.lead_sent_at || (a.thread_id < b.thread_id ? -1 : 1))
        .slice(0, limit)
        .map(toRecord);
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

/** Past the cursor in (lead_sent_at, thread_id) order; everything is, without one. */
function isAfter(sentAt: number, threadId: string, after: LeadsSentCursor | null | undefined): boolean {
  if (!after) return true;
  return sentAt > after.leadSentAt || (sentAt === after.leadSentAt && threadId > after.threadId);
}

/** Reads items by key, 100 a request, asking again (with backoff) for what DynamoDB left unprocessed. */
async function batchGet(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: StoredItem[],
): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_SIZE) {
    let pending = keys.slice(i, i + BATCH_GET_SIZE);
    for (let round = 0; pending.length > 0; round++) {
      if (round === BATCH_GET_ROUNDS)
        throw new Error(`could not read ${pending.length} rows of ${tableName}`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      items.push(...(Responses?.[tableName] ?? []));
      pending = UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
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
