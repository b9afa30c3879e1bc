import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Page, PageRequest, StoredThreadItem } from "../../ports/thread-store.js";
import { isConditionFailed } from "./client.js";
import { queryUpTo, type StoredItem } from "./queries.js";

/** The partition of a thread: its thread item, its items and their positions. */
export const threadPk = (threadId: string) => `thread#${threadId}`;
/** The sort key of the thread item. */
export const META_SK = "thread";
/** The key of the thread item. */
export const metaKey = (threadId: string) => ({ pk: threadPk(threadId), sk: META_SK });

/**
 * A sort key ordering by time, then id: 16 digits hold any epoch ms, and the fixed width makes
 * string order the numeric order (times before 1970 count as 0).
 */
export const timeSort = (epochMs: number, id: string) =>
  `${String(Math.max(0, Math.floor(epochMs))).padStart(16, "0")}#${id}`;

/** `active_list` of a thread the customer wrote in: the one partition of the `active` index. */
export const ACTIVE_LIST = "active";

const ITEM_PREFIX = "item#";
const SEQ_DIGITS = 10;
const MAX_SEQ = 10 ** SEQ_DIGITS - 1;
// Zero-padded, so string order (the sort key's) is insertion order.
const itemSk = (seq: number) => `${ITEM_PREFIX}${String(seq).padStart(SEQ_DIGITS, "0")}`;
const posSk = (itemId: string) => `pos#${itemId}`;

/** Page size when the caller gives none. */
const DEFAULT_LIMIT = 20;
/** Hard cap, so one request cannot read a whole thread or thread list. */
const MAX_LIMIT = 100;

/** Clamps to 1..MAX_LIMIT; a missing or non-finite limit means DEFAULT_LIMIT. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

/** Rows were fetched with limit + 1: the extra row only tells that another page exists. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const data = rows.slice(0, limit);
  return { data, hasMore: rows.length > limit, after: data.at(-1)?.id ?? null };
}

// Written only by add() and replace() from a StoredThreadItem, so it is trusted on the way back.
const parseItem = (row: StoredItem) => JSON.parse(String(row.data)) as StoredThreadItem;

/** The item half of the DynamoDB ThreadStore (kept apart so each file stays small). */
export interface DynamoDbItemRows {
  /**
   * Appends an item with the given `ttl` (epoch seconds), which also becomes the thread item's;
   * throws for an unknown thread or an id the thread already holds.
   */
  add(threadId: string, item: StoredThreadItem, ttl: number): Promise<void>;
  /** Every item, oldest first. */
  list(threadId: string): Promise<StoredThreadItem[]>;
  /** One page; an unknown `after` id starts from the beginning. */
  page(threadId: string, page: PageRequest): Promise<Page<StoredThreadItem>>;
  /** Deletes the item and its position row and counts it out; false when the thread has no such item. */
  remove(threadId: string, itemId: string): Promise<boolean>;
  /** Rewrites the item's JSON in its slot (its ttl stays); false when the thread has no such item. */
  replace(threadId: string, item: StoredThreadItem): Promise<boolean>;
}

/**
 * Item rows (`item#<seq>`, the item as JSON) and position rows (`pos#<item id>`, its `seq`) in the
 * threads table. The thread item holds the counters: `item_seq`, the last slot handed out (never
 * handed back, so a removed item leaves a gap), and `item_count`, what `countItems` reads.
 */
export function createDynamoDbItemRows(client: DynamoDBDocumentClient, tableName: string): DynamoDbItemRows {
  /**
   * Takes the next `seq` and moves the thread's ttl, in one conditional update that also refuses
   * unknown threads. A user message moves the last activity forward, never back: when it is older
   * than the stored one, that condition fails and the update runs again without it. With the
   * activity go the keys of the sparse `active` index (`active_list`, `activity_sort`), so the
   * thread item moves to its new place in listActive's order in the same write.
   */
  async function takeSeq(threadId: string, ttl: number, activityAt: number): Promise<number> {
    const update = async (withActivity: boolean) => {
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: metaKey(threadId),
          UpdateExpression: `ADD item_seq :one, item_count :one SET #ttl = :ttl${
            withActivity
              ? ", last_customer_activity_at = :at, active_list = :active, activity_sort = :activity_sort"
              : ""
          }`,
          ConditionExpression: withActivity
            ? "attribute_exists(pk) AND (attribute_not_exists(last_customer_activity_at) OR last_customer_activity_at <= :at)"
            : "attribute_exists(pk)",
          // TTL is a reserved word in expressions.
          ExpressionAttributeNames: { "#ttl": "ttl" },
          ExpressionAttributeValues: {
            ":one": 1,
            ":ttl": ttl,
            ...(withActivity
              ? {
                  ":at": activityAt,
                  ":active": ACTIVE_LIST,
                  ":activity_sort": timeSort(activityAt, threadId),
                }
              : {}),
          },
          ReturnValues: "UPDATED_NEW",
        }),
      );
      return Number(Attributes?.item_seq);
    };
    if (!Number.isNaN(activityAt)) {
      try {
        return await update(true);
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
    }
    try {
      return await update(false);
    } catch (error) {
      if (isConditionFailed(error)) throw new Error(`thread ${threadId} does not exist`, { cause: error });
      throw error;
    }
  }

  /**
   * One item fewer on the thread row. Only while the row exists: without the condition a thread
   * deleted meanwhile would come back as a bare counter (and then there is no count to fix).
   */
  async function uncount(threadId: string): Promise<void> {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: metaKey(threadId),
          UpdateExpression: "ADD item_count :minus",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":minus": -1 },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }

  /** The slot of the item, from its position row; undefined when the thread has no such item. */
  async function slotOf(threadId: string, itemId: string): Promise<number | undefined> {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: threadPk(threadId), sk: posSk(itemId) },
        ConsistentRead: true,
      }),
    );
    return Item ? Number(Item.item_seq) : undefined;
  }

  return {
    async add(threadId, item, ttl) {
      const activityAt = item.type === "user_message" ? Date.parse(item.created_at) : Number.NaN;
      const seq = await takeSeq(threadId, ttl, activityAt);
      const pk = threadPk(threadId);
      try {
        // The position first, and only once per id: a duplicate id would make cursors ambiguous.
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk, sk: posSk(item.id), item_seq: seq, ttl },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        );
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
        // The slot stays unused (seq only orders); the count goes back.
        await uncount(threadId);
        throw new Error(`item ${item.id} already exists in thread ${threadId}`, { cause: error });
      }
      await client.send(
        new PutCommand({
          TableName: tableName,
          // JSON, not a map: items come back exactly as given (key order, nesting, numbers).
          Item: { pk, sk: itemSk(seq), item_id: item.id, data: JSON.stringify(item), ttl },
        }),
      );
    },
    async list(threadId) {
      const rows = await queryUpTo(client, {
        TableName: tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": threadPk(threadId), ":prefix": ITEM_PREFIX },
        ConsistentRead: true,
      });
      return rows.map(parseItem);
    },
    async page(threadId, page) {
      const limit = pageLimit(page.limit);
      const order = page.order ?? "asc";
      const at = page.after ? await slotOf(threadId, page.after) : undefined;
      // One range of slots, after (asc) or before (desc) the cursor's.
      const low = at !== undefined && order === "asc" ? at + 1 : 0;
      const high = at !== undefined && order === "desc" ? at - 1 : MAX_SEQ;
      if (low > high) return { data: [], hasMore: false, after: null };
      const rows = await queryUpTo(
        client,
        {
          TableName: tableName,
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :low AND :high",
          ExpressionAttributeValues: {
            ":pk": threadPk(threadId),
            ":low": itemSk(low),
            ":high": itemSk(high),
          },
          ScanIndexForward: order === "asc",
          ConsistentRead: true,
        },
        limit + 1,
      );
      return toPage(rows.map(parseItem), limit);
    },
    async remove(threadId, itemId) {
      const seq = await slotOf(threadId, itemId);
      if (seq === undefined) return false;
      const pk = threadPk(threadId);
      try {
        // The item row first: while its position row is left, a retry still finds it and finishes.
        // Absent is fine (a cut-off earlier attempt); another item's row (a stale position) is not.
        await client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { pk, sk: itemSk(seq) },
            ConditionExpression: "attribute_not_exists(pk) OR item_id = :id",
            ExpressionAttributeValues: { ":id": itemId },
          }),
        );
        // Only while it still points at that slot: of concurrent removes, one counts the item out.
        await client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { pk, sk: posSk(itemId) },
            ConditionExpression: "item_seq = :seq",
            ExpressionAttributeValues: { ":seq": seq },
          }),
        );
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
      await uncount(threadId);
      return true;
    },
    async replace(threadId, item) {
      const seq = await slotOf(threadId, item.id);
      if (seq === undefined) return false;
      try {
        // Only the row the position names, and only while it holds this item: never a new row.
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: threadPk(threadId), sk: itemSk(seq) },
            UpdateExpression: "SET #data = :data",
            ConditionExpression: "item_id = :id",
            // DATA is a reserved word in expressions.
            ExpressionAttributeNames: { "#data": "data" },
            ExpressionAttributeValues: { ":data": JSON.stringify(item), ":id": item.id },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },
  };
}
