/**
 * ThreadStore on DynamoDB: the ChatkitThreadTable (`pk`/`sk`) holds four kinds of item.
 *
 *   pk `thread#<id>`      sk `thread`          the thread: owner, title, times, item counters
 *   pk `thread#<id>`      sk `item#<seq>`      one item (JSON in `data`); `seq` zero-padded
 *   pk `thread#<id>`      sk `pos#<item id>`   where an item sits (`item_seq`), for `after` cursors
 *   pk `attachment#<id>`  sk `attachment`      an attachment row
 *
 * Items keep insertion order through `seq`, taken from the thread item's `item_seq` by an atomic
 * `ADD` (so concurrent writers never share a slot); a thread's items are one key-condition query
 * (thread-items.ts). A user's threads come from the `by-user` index (`user_id`, `created_sort` =
 * zero-padded `created_at` + id, so ties break by id as on SQLite); the threads the customer wrote
 * in from the sparse `active` index (`active_list` = "active", `activity_sort` = zero-padded last
 * customer activity + id, both set with the activity by addItem; a thread item written by a
 * version without them is listed only once its customer writes again); attachment rows from the
 * `by-thread` and `orphans` indexes (thread-attachments.ts). Never a scan.
 *
 * TTL: every item carries `ttl` = its last write + `ttlDays` (pass the attachment retention,
 * `ATTACHMENT_RETENTION_DAYS`, 365 by default, so a thread lives as long as its photos are kept);
 * `replaceItem` keeps the row's ttl, so an edit (say, feedback) never outlives the thread item.
 * Each `addItem` moves the thread item's ttl forward too, so a thread lasts `ttlDays` past its last
 * message and outlives its items; only a conversation running longer than `ttlDays` would lose its
 * oldest items first. Nothing is hidden on read: the SQLite store keeps threads for good, and here
 * the ttl only bounds storage of threads nobody has touched for `ttlDays`.
 *
 * No transactions (dynalite has none): a write cut off halfway (say, `deleteThread`) leaves rows
 * that the next attempt or the ttl removes; none of them makes a read fail.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { ActivityCursor, PageRequest, ThreadRecord, ThreadStore } from "../../ports/thread-store.js";
import { isConditionFailed } from "./client.js";
import { batchLimit, deleteKeys, present, queryUpTo } from "./queries.js";
import { INDEX, ttlSeconds } from "./tables.js";
import { attachmentKey, createDynamoDbAttachmentRows } from "./thread-attachments.js";
import {
  ACTIVE_LIST,
  createDynamoDbItemRows,
  META_SK,
  metaKey,
  pageLimit,
  threadPk,
  timeSort,
  toPage,
} from "./thread-items.js";

/** Options of {@link createDynamoDbThreadStore}. */
export interface DynamoDbThreadStoreOptions {
  client: DynamoDBDocumentClient;
  /** The threads table (`THREADS_TABLE`), shaped as its entry of tableSpecs(). */
  tableName: string;
  /** Days every row is kept after its last write (see the top of this file). */
  ttlDays: number;
  /**
   * Current time in epoch ms, for the ttl (tests pass a fixed clock).
   * @default Date.now
   */
  now?: () => number;
}

/** The thread item. Null fields are absent (`user_id` keys the sparse `by-user` index). */
interface ThreadItem {
  pk: string;
  sk: string;
  thread_id: string;
  user_id?: string;
  created_at: number;
  created_sort: string;
  title?: string;
  last_customer_activity_at?: number;
  /** "active" once the customer wrote: keys the sparse `active` index, with `activity_sort`. */
  active_list?: typeof ACTIVE_LIST;
  /** Zero-padded `last_customer_activity_at` + id, so ties break by id. */
  activity_sort?: string;
  /** The last item slot handed out (see thread-items.ts). */
  item_seq: number;
  /** Items added less items deleted, for `countItems`. */
  item_count: number;
  ttl: number;
}

const DAY_MS = 86_400_000;

/**
 * The key condition of one listActive query on the `active` index. DynamoDB takes one condition
 * on the sort key, so a page with both bounds asks BETWEEN (inclusive at both ends) and names the
 * cursor's own key in `drop`; undefined when the bounds leave nothing (`since` after the cursor).
 */
function activeRange(before: ActivityCursor | null | undefined, since: number | null | undefined) {
  const high = before ? timeSort(before.at, before.threadId) : undefined;
  // The bare time prefix sorts before every key of that time, so `>=` keeps them all.
  const low = since === null || since === undefined ? undefined : timeSort(Math.ceil(since), "");
  const values: Record<string, string> = { ":active": ACTIVE_LIST };
  if (high !== undefined) values[":high"] = high;
  if (low !== undefined) values[":low"] = low;
  if (high !== undefined && low !== undefined) {
    if (low > high) return undefined;
    return { condition: " AND activity_sort BETWEEN :low AND :high", values, drop: high };
  }
  if (high !== undefined) return { condition: " AND activity_sort < :high", values };
  if (low !== undefined) return { condition: " AND activity_sort >= :low", values };
  return { condition: "", values };
}

function toRecord(item: ThreadItem): ThreadRecord {
  return {
    id: item.thread_id,
    userId: item.user_id ?? null,
    createdAt: item.created_at,
    lastCustomerActivityAt: item.last_customer_activity_at ?? null,
    title: item.title ?? null,
  };
}

/**
 * ThreadStore on DynamoDB (layout and TTL at the top of this file). Pagination follows the ChatKit
 * protocol: `after` is the id of the last element seen; an unknown (or foreign) `after` id starts
 * from the beginning, as on SQLite, so a stale cursor never fails a request.
 */
export function createDynamoDbThreadStore(options: DynamoDbThreadStoreOptions): ThreadStore {
  const { client, tableName, now = Date.now } = options;
  const ttlMs = options.ttlDays * DAY_MS;
  const items = createDynamoDbItemRows(client, tableName);
  const attachments = createDynamoDbAttachmentRows(client, tableName);
  const expiry = () => ttlSeconds(now() + ttlMs);

  async function getMeta(threadId: string): Promise<ThreadItem | null> {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: metaKey(threadId), ConsistentRead: true }),
    );
    return (Item as ThreadItem | undefined) ?? null;
  }

  return {
    async createThread(thread) {
      const record: ThreadRecord = {
        id: thread.id,
        userId: thread.userId ?? null,
        createdAt: thread.createdAt,
        lastCustomerActivityAt: null,
        title: thread.title ?? null,
      };
      const item: ThreadItem = {
        ...metaKey(thread.id),
        thread_id: thread.id,
        ...present({ user_id: record.userId, title: record.title }),
        created_at: thread.createdAt,
        created_sort: timeSort(thread.createdAt, thread.id),
        item_seq: 0,
        item_count: 0,
        ttl: expiry(),
      };
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        );
      } catch (error) {
        if (isConditionFailed(error)) throw new Error(`thread ${thread.id} already exists`, { cause: error });
        throw error;
      }
      return record;
    },
    async getThread(threadId) {
      const item = await getMeta(threadId);
      return item ? toRecord(item) : null;
    },
    async listThreads(userId, page: PageRequest = {}) {
      const limit = pageLimit(page.limit);
      const order = page.order ?? "desc";
      const cursor = page.after ? await getMeta(page.after) : null;
      const from = cursor?.user_id === userId ? cursor.created_sort : undefined;
      const rows = await queryUpTo(
        client,
        {
          TableName: tableName,
          IndexName: INDEX.threadsByUser,
          KeyConditionExpression:
            from === undefined
              ? "user_id = :user"
              : `user_id = :user AND created_sort ${order === "asc" ? ">" : "<"} :from`,
          ExpressionAttributeValues: { ":user": userId, ...(from === undefined ? {} : { ":from": from }) },
          ScanIndexForward: order === "asc",
        },
        limit + 1,
      );
      return toPage((rows as unknown as ThreadItem[]).map(toRecord), limit);
    },
    async listActive({ limit, before, since }) {
      const want = batchLimit(limit);
      const range = activeRange(before, since);
      if (want === 0 || !range) return [];
      const { condition, values, drop } = range;
      // An eventually consistent index read: a message a moment old may not have moved its thread yet.
      const rows = await queryUpTo(
        client,
        {
          TableName: tableName,
          IndexName: INDEX.threadsActive,
          KeyConditionExpression: `active_list = :active${condition}`,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
        },
        // One more for the cursor's own row, when BETWEEN may return it.
        drop === undefined ? want : want + 1,
      );
      return (rows as unknown as ThreadItem[])
        .filter((row) => row.activity_sort !== drop)
        .slice(0, want)
        .map(toRecord);
    },
    async updateThread(threadId, patch) {
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: metaKey(threadId),
            UpdateExpression: patch.title === null ? "REMOVE title" : "SET title = :title",
            // Without the condition an update would create a bare thread item.
            ConditionExpression: "attribute_exists(pk)",
            ...(patch.title === null ? {} : { ExpressionAttributeValues: { ":title": patch.title } }),
            ReturnValues: "ALL_NEW",
          }),
        );
        return toRecord(Attributes as ThreadItem);
      } catch (error) {
        if (isConditionFailed(error)) return null;
        throw error;
      }
    },
    async deleteThread(threadId) {
      const rows = await queryUpTo(client, {
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": threadPk(threadId) },
        ProjectionExpression: "pk, sk",
        ConsistentRead: true,
      });
      const linked = await attachments.listByThread(threadId);
      // The thread item goes last: until then a retry finds the thread and finishes the job.
      await deleteKeys(client, tableName, [
        ...rows.filter((row) => row.sk !== META_SK),
        ...linked.map((a) => attachmentKey(a.id)),
      ]);
      await client.send(new DeleteCommand({ TableName: tableName, Key: metaKey(threadId) }));
    },
    async addItem(threadId, item) {
      await items.add(threadId, item, expiry());
    },
    async listItems(threadId) {
      return items.list(threadId);
    },
    async listItemsPage(threadId, page: PageRequest = {}) {
      return items.page(threadId, page);
    },
    async countItems(threadId) {
      return (await getMeta(threadId))?.item_count ?? 0;
    },
    async deleteItem(threadId, itemId) {
      return items.remove(threadId, itemId);
    },
    async replaceItem(threadId, item) {
      return items.replace(threadId, item);
    },
    async saveAttachment(attachment) {
      await attachments.save(attachment, expiry());
    },
    async getAttachment(attachmentId) {
      return attachments.get(attachmentId);
    },
    async deleteAttachment(attachmentId) {
      await attachments.delete(attachmentId);
    },
    async listThreadAttachments(threadId) {
      return attachments.listByThread(threadId);
    },
    async listOrphanAttachments(createdBefore, limit) {
      return attachments.listOrphans(createdBefore, limit);
    },
  };
}
