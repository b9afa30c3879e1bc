import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { StoredAttachment } from "../../ports/thread-store.js";
import { batchLimit, present, queryUpTo } from "./queries.js";
import { INDEX } from "./tables.js";

/** The key of an attachment row in the threads table (its own partition: rows are read by id). */
export function attachmentKey(attachmentId: string): { pk: string; sk: string } {
  return { pk: `attachment#${attachmentId}`, sk: "attachment" };
}

/** The `orphan_list` value of rows not yet referenced by a thread (see the `orphans` index). */
const ORPHAN = "orphan";

/**
 * One attachment row as stored. Exactly one of `attachment_thread_id` (the `by-thread` index) and
 * `orphan_list` (the `orphans` index) is set, so each index holds only its rows. The owner is
 * `owner_id`, not `user_id`, which keys the `by-user` index of threads. Null fields are absent.
 */
interface AttachmentItem {
  pk: string;
  sk: string;
  attachment_id: string;
  owner_id?: string;
  attachment_thread_id?: string;
  orphan_list?: typeof ORPHAN;
  name: string;
  mime_type: string;
  type: "image" | "file";
  key?: string;
  size?: number;
  preview_url?: string;
  created_at: number;
  ttl: number;
}

/** The attachment half of the DynamoDB ThreadStore (kept apart so each file stays small). */
export interface DynamoDbAttachmentRows {
  /** Saves (inserts or replaces) the row with the given `ttl` (epoch seconds). */
  save(attachment: StoredAttachment, ttl: number): Promise<void>;
  get(attachmentId: string): Promise<StoredAttachment | null>;
  delete(attachmentId: string): Promise<void>;
  /** Every row referenced by the thread (the `by-thread` index), oldest first. */
  listByThread(threadId: string): Promise<StoredAttachment[]>;
  /** Up to `limit` rows never referenced by a thread, created before `createdBefore`, oldest first. */
  listOrphans(createdBefore: number, limit: number): Promise<StoredAttachment[]>;
}

/** Attachment rows in the threads table. */
export function createDynamoDbAttachmentRows(
  client: DynamoDBDocumentClient,
  tableName: string,
): DynamoDbAttachmentRows {
  return {
    async save(a, ttl) {
      const item: AttachmentItem = {
        ...attachmentKey(a.id),
        attachment_id: a.id,
        ...present({ owner_id: a.userId, key: a.key, size: a.size, preview_url: a.previewUrl }),
        ...(a.threadId === null ? { orphan_list: ORPHAN } : { attachment_thread_id: a.threadId }),
        name: a.name,
        mime_type: a.mimeType,
        type: a.type,
        created_at: a.createdAt,
        ttl,
      };
      // A plain put replaces: the two-phase upload saves the row first and again once the bytes arrive.
      await client.send(new PutCommand({ TableName: tableName, Item: item }));
    },
    async get(attachmentId) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: attachmentKey(attachmentId), ConsistentRead: true }),
      );
      return Item ? toAttachment(Item as AttachmentItem) : null;
    },
    async delete(attachmentId) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: attachmentKey(attachmentId) }));
    },
    async listByThread(threadId) {
      const rows = await queryUpTo(client, {
        TableName: tableName,
        IndexName: INDEX.attachmentsByThread,
        KeyConditionExpression: "attachment_thread_id = :thread",
        ExpressionAttributeValues: { ":thread": threadId },
      });
      // The index has no sort key (a thread holds a handful of rows): order as the SQLite store does.
      return (rows as unknown as AttachmentItem[])
        .map(toAttachment)
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async listOrphans(createdBefore, limit) {
      const rows = await queryUpTo(
        client,
        {
          TableName: tableName,
          IndexName: INDEX.orphanAttachments,
          KeyConditionExpression: "orphan_list = :orphan AND created_at < :before",
          ExpressionAttributeValues: { ":orphan": ORPHAN, ":before": createdBefore },
          ScanIndexForward: true,
        },
        batchLimit(limit),
      );
      return (rows as unknown as AttachmentItem[]).map(toAttachment);
    },
  };
}

function toAttachment(item: AttachmentItem): StoredAttachment {
  return {
    id: item.attachment_id,
    userId: item.owner_id ?? null,
    threadId: item.attachment_thread_id ?? null,
    name: item.name,
    mimeType: item.mime_type,
    type: item.type,
    key: item.key ?? null,
    size: item.size ?? null,
    previewUrl: item.preview_url ?? null,
    createdAt: item.created_at,
  };
}
