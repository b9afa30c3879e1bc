import { randomBytes } from "node:crypto";
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { LeadReason, TriggerReason } from "../../core/lead-gate.js";
import type {
  JournalEntry,
  JournalEntryInput,
  LeadJournal,
  LeadOutcome,
  OutcomeCursor,
} from "../../ports/lead-journal.js";
import { entryFromColumns } from "../common/journal-columns.js";
import { isConditionFailed } from "./client.js";
import { batchLimit, present, queryUpTo } from "./queries.js";
import { INDEX, ttlSeconds } from "./tables.js";

/** Options of {@link createDynamoDbLeadJournal}. */
export interface DynamoDbLeadJournalOptions {
  client: DynamoDBDocumentClient;
  /** The journal table (`JOURNAL_TABLE`), shaped as its entry of tableSpecs(). */
  tableName: string;
  /**
   * Current time in epoch ms, to hide entries past their ttl (tests pass a fixed clock).
   * @default Date.now
   */
  now?: () => number;
}

/** The `expiry_list` value every entry carries (see the `expiry` index). */
const EXPIRY_LIST_VALUE = "journal";
/** The `outcome_list` value only outcome entries carry (see the sparse `outcomes` index). */
const OUTCOME_LIST_VALUE = "outcome";

/** Width of the time in a key: epoch ms below 10^15 (the year 33658). */
const AT_DIGITS = 15;
const MAX_AT = 10 ** AT_DIGITS;
/** Width of the counter of entries one thread got in the same ms. */
const SEQ_DIGITS = 6;
/** Random bytes at the end of a key: ties between threads (same ms, same counter) are broken by them. */
const RANDOM_BYTES = 5;
/** Tries of an append whose key was taken meanwhile (a concurrent append drew the same random tail). */
const APPEND_ATTEMPTS = 3;
// Deletes sent at once: enough to finish a batch of 100 in a few round trips without bursting.
const PARALLEL_DELETES = 25;

/** One entry as stored; a null field of the entry is an absent attribute. */
interface JournalItem {
  thread_id: string;
  /** The entry's id: `<at, 15 digits>-<counter in that ms, 6 digits>-<10 hex>`. */
  entry_key: string;
  at: number;
  kind: "decision" | "outcome";
  trigger?: TriggerReason;
  lead_reason?: LeadReason;
  outcome?: LeadOutcome;
  value?: string;
  currency?: string;
  actor?: string;
  detail?: string;
  /** The entry's ttl in epoch ms (the port's unit), for reads and the expiry index. */
  expires_at: number;
  /** The same instant in epoch seconds, for DynamoDB TTL. */
  ttl: number;
  expiry_list: typeof EXPIRY_LIST_VALUE;
  /** Only on outcome entries, so the `outcomes` index holds nothing else. */
  outcome_list?: typeof OUTCOME_LIST_VALUE;
}

/**
 * The LeadJournal in the journal table: partition `thread_id`, sort key `entry_key`, which is
 * also the entry's id. The key starts with the zero-padded `at`, then a counter of the thread's
 * entries in that same ms, then a random tail: keys sort as (at, order of appending), so a thread's
 * history is one Query in key order, and (at, id) order is plain key order. An append reads the
 * thread's last key of its ms (a consistent Query) and takes the next counter; the random tail
 * keeps ids unique across threads and between two appends racing for the same counter, and the
 * put is conditional, so no entry is ever overwritten.
 *
 * Outcome entries also carry `outcome_list`, which puts them (and only them) in the sparse
 * `outcomes` index sorted by `entry_key`: the exports page through it from `since` on. Every entry
 * carries `expiry_list` and `expires_at` for the `expiry` index that `prune` walks, oldest expiry
 * first, as the other tables do; `ttl` (seconds) lets DynamoDB TTL delete them on its own too. TTL
 * deletes lazily, so reads hide expired entries themselves.
 */
export function createDynamoDbLeadJournal(options: DynamoDbLeadJournalOptions): LeadJournal {
  const { client, tableName, now = Date.now } = options;

  /** The next key of the thread in `at`'s ms: one more than the newest one there, or 0. */
  async function nextKey(threadId: string, at: number): Promise<string> {
    const prefix = atPrefix(at);
    const [newest] = await queryUpTo(
      client,
      {
        TableName: tableName,
        KeyConditionExpression: "thread_id = :thread AND begins_with(entry_key, :prefix)",
        ExpressionAttributeValues: { ":thread": threadId, ":prefix": prefix },
        ProjectionExpression: "entry_key",
        ScanIndexForward: false,
        // Sees every append that has answered, so a later append gets a larger counter.
        ConsistentRead: true,
      },
      1,
    );
    const seq = newest
      ? Number(String(newest.entry_key).slice(prefix.length, prefix.length + SEQ_DIGITS)) + 1
      : 0;
    if (seq >= 10 ** SEQ_DIGITS)
      throw new RangeError(`lead journal: too many entries of ${threadId} at ${at}`);
    return `${prefix}${String(seq).padStart(SEQ_DIGITS, "0")}-${randomBytes(RANDOM_BYTES).toString("hex")}`;
  }

  async function deleteIfExpired(key: { thread_id: unknown; entry_key: unknown }, at: number) {
    try {
      await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { thread_id: key.thread_id, entry_key: key.entry_key },
          // Gone already (TTL, another prune) fails the condition too: only real deletes count.
          ConditionExpression: "expires_at <= :now",
          ExpressionAttributeValues: { ":now": at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  return {
    async append(entry) {
      for (let attempt = 1; ; attempt++) {
        const item = toItem(entry, await nextKey(entry.threadId, entry.at));
        try {
          await client.send(
            new PutCommand({
              TableName: tableName,
              Item: item,
              ConditionExpression: "attribute_not_exists(entry_key)",
            }),
          );
          return toEntry(item);
        } catch (error) {
          if (!isConditionFailed(error) || attempt === APPEND_ATTEMPTS) throw error;
        }
      }
    },
    async list(threadId, limit) {
      const want = batchLimit(limit);
      if (want === 0) return [];
      // Newest first so the page holds the newest live entries; turned round for the caller.
      const items = await queryUpTo(
        client,
        {
          TableName: tableName,
          KeyConditionExpression: "thread_id = :thread",
          FilterExpression: "expires_at > :now",
          ExpressionAttributeValues: { ":thread": threadId, ":now": now() },
          ScanIndexForward: false,
          ConsistentRead: true,
        },
        want,
      );
      return (items as unknown as JournalItem[]).reverse().map(toEntry);
    },
    async listOutcomes({ since, limit, after }) {
      const want = batchLimit(limit);
      const bound = lowerBound(since, after);
      if (want === 0 || !bound) return [];
      // A GSI read is eventually consistent: an outcome recorded a moment ago may show up a moment
      // later, which is fine for an export and a weekly digest.
      const items = await queryUpTo(
        client,
        {
          TableName: tableName,
          IndexName: INDEX.journalOutcomes,
          KeyConditionExpression: `outcome_list = :list AND entry_key ${bound.op} :key`,
          FilterExpression: "expires_at > :now",
          ExpressionAttributeValues: { ":list": OUTCOME_LIST_VALUE, ":key": bound.key, ":now": now() },
          ScanIndexForward: true,
        },
        want,
      );
      return (items as unknown as JournalItem[]).map(toEntry);
    },
    async prune(at, limit) {
      const want = batchLimit(limit);
      if (want === 0) return 0;
      const keys = await queryUpTo(
        client,
        {
          TableName: tableName,
          IndexName: INDEX.journalExpiry,
          KeyConditionExpression: "expiry_list = :list AND expires_at <= :now",
          ExpressionAttributeValues: { ":list": EXPIRY_LIST_VALUE, ":now": at },
          ScanIndexForward: true,
        },
        want,
      );
      let deleted = 0;
      for (let i = 0; i < keys.length; i += PARALLEL_DELETES) {
        const results = await Promise.all(
          keys
            .slice(i, i + PARALLEL_DELETES)
            .map((key) => deleteIfExpired({ thread_id: key.thread_id, entry_key: key.entry_key }, at)),
        );
        deleted += results.filter(Boolean).length;
      }
      return deleted;
    },
  };
}

/** `at` as the start of a key; only whole, non-negative ms fit the fixed width that makes keys sort. */
function atPrefix(at: number): string {
  if (!Number.isSafeInteger(at) || at < 0 || at >= MAX_AT)
    throw new RangeError(`lead journal: at must be whole epoch ms, got ${at}`);
  return `${String(at).padStart(AT_DIGITS, "0")}-`;
}

/**
 * The key condition of an outcomes page: from `since` on, or after the cursor when that is further.
 * An id starts with its entry's at, so "(at, id) after the cursor" is "key after the cursor's id".
 * Null when nothing can match (`since` beyond every key).
 */
function lowerBound(
  since: number,
  after: OutcomeCursor | null | undefined,
): { op: ">=" | ">"; key: string } | null {
  const from = Math.max(0, Math.ceil(since));
  if (from >= MAX_AT) return null;
  // The bare padded time sorts before every key of that ms (a prefix sorts first).
  const fromKey = String(from).padStart(AT_DIGITS, "0");
  if (!after) return { op: ">=", key: fromKey };
  if (!after.id.startsWith(atPrefix(after.at)))
    throw new TypeError(`lead journal: not a cursor of this journal: ${after.at} ${after.id}`);
  return after.id > fromKey ? { op: ">", key: after.id } : { op: ">=", key: fromKey };
}

function toItem(entry: JournalEntryInput, key: string): JournalItem {
  const common = {
    thread_id: entry.threadId,
    entry_key: key,
    at: entry.at,
    expires_at: entry.ttl,
    ttl: ttlSeconds(entry.ttl),
    expiry_list: EXPIRY_LIST_VALUE,
  } as const;
  if (entry.kind === "outcome") {
    return {
      ...common,
      kind: "outcome",
      ...present({
        outcome: entry.outcome,
        value: entry.value,
        currency: entry.currency,
        actor: entry.actor,
      }),
      outcome_list: OUTCOME_LIST_VALUE,
    };
  }
  return {
    ...common,
    kind: "decision",
    ...present({
      trigger: entry.trigger,
      lead_reason: entry.leadReason,
      actor: entry.actor,
      detail: entry.detail,
    }),
  };
}

/** The stored item back as an entry (its own columns: adapters/common/journal-columns.ts). */
function toEntry(item: JournalItem): JournalEntry {
  return entryFromColumns(
    { id: item.entry_key, threadId: item.thread_id, at: item.at, ttl: item.expires_at },
    item,
  );
}
