import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { AcquireLeaseInput, DueLead, LeadRecord, LeadState, LeadStore } from "../../ports/lead-store.js";
import { isConditionFailed } from "./client.js";
import { batchLimit, queryUpTo } from "./queries.js";
import { INDEX, ttlSeconds } from "./tables.js";

/** Options of {@link createDynamoDbLeadStore}. */
export interface DynamoDbLeadStoreOptions {
  /** A document client (see createDynamoDbDocumentClient). */
  client: DynamoDBDocumentClient;
  /** The leads table (`LEADS_TABLE`), shaped as its entry of tableSpecs(). */
  tableName: string;
}

/**
 * A send row (key: the thread id, follow-up rows `<thread>:f<n>` included). A null field of the
 * record is an absent attribute. Times are epoch ms, except `ttl`.
 */
interface LeadItem {
  thread_id: string;
  state: LeadState;
  lease_id: string;
  lease_expires_at: number;
  attempts: number;
  last_error?: string;
  retry_after?: number;
  message_id?: string;
  email_key?: string;
  subject?: string;
  covered_through?: number;
  follow_ups: number;
  sent_at?: number;
  /** The row's expiry (the record's `ttl`) in ms: exact, where `ttl` is rounded up to seconds. */
  expires_at: number;
  /** Epoch seconds, for DynamoDB TTL. It deletes lazily (up to days late), so reads compare `expires_at`. */
  ttl: number;
  /** "lead" on every send row: the one partition of the `expiry` index, for prune. */
  expiry_list: "lead";
  /** "failed" on failed rows only, so the `failed` index stays sparse. */
  failed_list?: "failed";
}

/** A due entry (`due#<thread>`), a separate item so the sweeper's list is a query on the `due` index. */
const DUE_PREFIX = "due#";

/**
 * A backstop only: the sweeper takes every entry off the list itself (settleDue). A year after its
 * due time, an entry nobody settled belongs to a thread long gone, and DynamoDB may drop it.
 */
const DUE_ENTRY_TTL_MS = 365 * 86_400_000;

/** Rounds of "write, refused, read what blocked it" before acquireLease gives up (fails closed). */
const ACQUIRE_ROUNDS = 3;

/**
 * ExpressionAttributeNames for every `#name` in the expressions. Every attribute goes through a
 * placeholder: `state`, `ttl` and `list` are reserved words, and DynamoDB refuses unused names.
 */
function namesIn(...expressions: string[]): Record<string, string> {
  const names: Record<string, string> = {};
  for (const expression of expressions)
    for (const match of expression.matchAll(/#(\w+)/g)) names[match[0]] = match[1] ?? "";
  return names;
}

/** SET for the non-null fields, REMOVE for the null ones (a null field is an absent attribute). */
function updateOf(fields: Record<string, string | number | null>) {
  const entries = Object.entries(fields);
  const set = entries.filter(([, value]) => value !== null);
  const remove = entries.filter(([, value]) => value === null).map(([name]) => name);
  const clauses = [
    set.length > 0 ? `SET ${set.map(([name]) => `#${name} = :set_${name}`).join(", ")}` : "",
    remove.length > 0 ? `REMOVE ${remove.map((name) => `#${name}`).join(", ")}` : "",
  ];
  return {
    expression: clauses.filter(Boolean).join(" "),
    values: Object.fromEntries(set.map(([name, value]) => [`:set_${name}`, value])),
  };
}

function toRecord(item: LeadItem): LeadRecord {
  return {
    threadId: item.thread_id,
    state: item.state,
    leaseId: item.lease_id,
    leaseExpiresAt: item.lease_expires_at,
    attempts: item.attempts,
    lastError: item.last_error ?? null,
    retryAfter: item.retry_after ?? null,
    messageId: item.message_id ?? null,
    emailKey: item.email_key ?? null,
    subject: item.subject ?? null,
    coveredThrough: item.covered_through ?? null,
    followUps: item.follow_ups,
    sentAt: item.sent_at ?? null,
    ttl: item.expires_at,
  };
}

/** A live row whose lease may be taken over: an expired `sending` lease, or an `error` past its cool-down. */
function resumable(item: LeadItem, now: number): boolean {
  if (item.expires_at <= now) return false;
  if (item.state === "sending") return item.lease_expires_at <= now;
  return item.state === "error" && item.retry_after !== undefined && item.retry_after <= now;
}

// The condition of every holder's change: the lease is still theirs and the send still open.
const HELD = "#lease_id = :lease AND #state = :sending";
const heldValues = (leaseId: string) => ({ ":lease": leaseId, ":sending": "sending" });

/**
 * LeadStore on DynamoDB, every change a single-item conditional write (no transactions: dynalite has
 * none, and none is needed). The lease is granted by ONE conditional write, which of two depends on
 * the row: a PutItem that starts the row afresh (condition: no row, or past its ttl), or an UpdateItem
 * that continues it (condition: live, and its `sending` lease expired or its `error` cool-down over).
 * DynamoDB's update language cannot reset the prepared message only when the row expired, hence two
 * writes; each carries its whole condition, so a grant is always one atomic write and a refused
 * caller changed nothing. Every other change applies only under its condition and answers false
 * when it did not hold; any other error is thrown, never taken for a change. Never a Scan: the
 * sweeper's due list, prune and countFailed are queries on the table's sparse indexes.
 */
export function createDynamoDbLeadStore(options: DynamoDbLeadStoreOptions): LeadStore {
  const { client, tableName } = options;

  async function read(threadId: string): Promise<LeadItem | undefined> {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { thread_id: threadId }, ConsistentRead: true }),
    );
    // A due entry shares the key space; it is no send row.
    return Item && "state" in Item ? (Item as LeadItem) : undefined;
  }

  /** One conditional UpdateItem: true when it applied, false when its condition did not hold. */
  async function change(
    key: string,
    fields: Record<string, string | number | null>,
    condition: string,
    values: Record<string, string | number>,
  ): Promise<boolean> {
    const update = updateOf(fields);
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { thread_id: key },
          UpdateExpression: update.expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: namesIn(update.expression, condition),
          ExpressionAttributeValues: { ...update.values, ...values },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /** The lease on a new row, or on one past its ttl: everything of the old row is forgotten. */
  async function startFresh(input: AcquireLeaseInput): Promise<LeadItem | null> {
    const item: LeadItem = {
      thread_id: input.threadId,
      state: "sending",
      lease_id: input.leaseId,
      lease_expires_at: input.leaseExpiresAt,
      attempts: 1,
      follow_ups: 0,
      expires_at: input.ttl,
      ttl: ttlSeconds(input.ttl),
      expiry_list: "lead",
    };
    const condition = "attribute_not_exists(#thread_id) OR #expires_at <= :now";
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeNames: namesIn(condition),
          ExpressionAttributeValues: { ":now": input.now },
        }),
      );
      return item;
    } catch (error) {
      if (isConditionFailed(error)) return null;
      throw error;
    }
  }

  /** The lease on a live row whose holder is gone or whose cool-down is over; the prepared message stays. */
  async function resume(input: AcquireLeaseInput): Promise<LeadItem | null> {
    const update = `SET #state = :sending, #lease_id = :lease, #lease_expires_at = :lease_expires_at,
      #attempts = #attempts + :one, #expires_at = :expires_at, #ttl = :ttl REMOVE #sent_at, #retry_after`;
    const condition = `#expires_at > :now AND ((#state = :sending AND #lease_expires_at <= :now)
      OR (#state = :error AND #retry_after <= :now))`;
    try {
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { thread_id: input.threadId },
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: namesIn(update, condition),
          ExpressionAttributeValues: {
            ...heldValues(input.leaseId),
            ":error": "error",
            ":lease_expires_at": input.leaseExpiresAt,
            ":one": 1,
            ":expires_at": input.ttl,
            ":ttl": ttlSeconds(input.ttl),
            ":now": input.now,
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      return Attributes as LeadItem;
    } catch (error) {
      if (isConditionFailed(error)) return null;
      throw error;
    }
  }

  /** Keys (and projections) of an index, in its sort order, paging until `limit` items. */
  async function query(
    index: string,
    keyCondition: string,
    values: Record<string, string | number>,
    limit: number,
  ) {
    return queryUpTo(
      client,
      {
        TableName: tableName,
        IndexName: index,
        KeyConditionExpression: keyCondition,
        ExpressionAttributeNames: namesIn(keyCondition),
        ExpressionAttributeValues: values,
        ScanIndexForward: true,
      },
      limit,
    );
  }

  /** Deletes a row that is still past its ttl (a restart may have renewed it since the index listed it). */
  async function deleteExpired(threadId: string, now: number) {
    const condition = "#expires_at <= :now";
    try {
      const { Attributes } = await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { thread_id: threadId },
          ConditionExpression: condition,
          ExpressionAttributeNames: namesIn(condition),
          ExpressionAttributeValues: { ":now": now },
          ReturnValues: "ALL_OLD",
        }),
      );
      // The deleted row itself says which message it kept, not the index's eventually consistent copy.
      return { threadId, emailKey: (Attributes as LeadItem | undefined)?.email_key ?? null };
    } catch (error) {
      if (isConditionFailed(error)) return null;
      throw error;
    }
  }

  return {
    async get(threadId) {
      const item = await read(threadId);
      return item ? toRecord(item) : null;
    },
    async acquireLease(input) {
      const { now } = input;
      let blocking: LeadItem | undefined;
      for (let round = 0; ; round++) {
        const live = blocking && blocking.expires_at > now ? blocking : undefined;
        if (live && !resumable(live, now)) return { acquired: false, record: toRecord(live) };
        // The row keeps changing under us (a prune, a racing holder): fail closed rather than spin.
        if (round === ACQUIRE_ROUNDS)
          throw new Error(`leads: no lease on ${input.threadId}, row kept changing`);
        const granted = live ? await resume(input) : await startFresh(input);
        if (granted) return { acquired: true, record: toRecord(granted) };
        // Refused: read what blocked it, strongly consistent, and decide again on that row.
        blocking = await read(input.threadId);
      }
    },
    prepare: (input) =>
      change(
        input.threadId,
        {
          email_key: input.emailKey,
          message_id: input.messageId,
          subject: input.subject,
          covered_through: input.coveredThrough,
        },
        HELD,
        heldValues(input.leaseId),
      ),
    markSent: (input) =>
      change(
        input.threadId,
        {
          state: "sent",
          message_id: input.messageId,
          sent_at: input.sentAt,
          last_error: null,
          retry_after: null,
        },
        HELD,
        heldValues(input.leaseId),
      ),
    markError: (input) =>
      change(
        input.threadId,
        { state: "error", last_error: input.error, retry_after: input.retryAfter },
        HELD,
        heldValues(input.leaseId),
      ),
    // `failed_list` puts the row on the failed index; a fresh start (a whole new item), prune or the
    // owner's reopen takes it off, as no lease is granted on a live failed row.
    markFailed: (input) =>
      change(
        input.threadId,
        { state: "failed", last_error: input.error, retry_after: null, failed_list: "failed" },
        HELD,
        heldValues(input.leaseId),
      ),
    // One conditional UpdateItem: a live `failed` or `error` row becomes due now (what it prepared
    // stays) and leaves the failed index, so /healthz stops counting it; the lease itself is then
    // taken by acquireLease's `resume`, like any retry after a cool-down.
    reopen: (input) =>
      change(
        input.threadId,
        { state: "error", retry_after: input.now, failed_list: null },
        "#expires_at > :now AND (#state = :failed OR #state = :error)",
        { ":now": input.now, ":failed": "failed", ":error": "error" },
      ),
    releaseLease: (input) =>
      change(input.threadId, { lease_expires_at: input.now }, HELD, heldValues(input.leaseId)),
    recordCoverage: (input) =>
      change(
        input.threadId,
        { follow_ups: input.followUps, covered_through: input.coveredThrough },
        "#state = :sent AND #follow_ups = :expect",
        { ":sent": "sent", ":expect": input.expectFollowUps },
      ),
    async prune(now, limit) {
      const expired = await query(
        INDEX.leadsExpiry,
        "#expiry_list = :lead AND #expires_at <= :now",
        { ":lead": "lead", ":now": now },
        batchLimit(limit),
      );
      const outcomes = await Promise.allSettled(
        expired.map((row) => deleteExpired(String(row.thread_id), now)),
      );
      const gone: { threadId: string; emailKey: string | null }[] = [];
      let failure: unknown;
      for (const outcome of outcomes) {
        if (outcome.status === "rejected") failure ??= outcome.reason;
        else if (outcome.value) gone.push(outcome.value);
      }
      // Rows deleted are gone whatever befell the others: report them, or their kept emails would
      // never be deleted. Throw when none went, so a broken table still surfaces (and a partial
      // failure surfaces on the next run, whose rows are still there).
      if (failure !== undefined && gone.length === 0) throw failure;
      return gone;
    },
    async countFailed(now) {
      const keyCondition = "#failed_list = :failed AND #expires_at > :now";
      let count = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: INDEX.leadsFailed,
            KeyConditionExpression: keyCondition,
            ExpressionAttributeNames: namesIn(keyCondition),
            ExpressionAttributeValues: { ":failed": "failed", ":now": now },
            Select: "COUNT",
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        count += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
      return count;
    },
    async schedule(threadId, dueAt) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            thread_id: DUE_PREFIX + threadId,
            list: "due",
            due_at: dueAt,
            ttl: ttlSeconds(dueAt + DUE_ENTRY_TTL_MS),
          },
        }),
      );
    },
    async listDue(now, limit) {
      // A GSI read is eventually consistent: an entry scheduled a moment ago may show up on the next
      // pass, and a settled one once more; the sweeper's handoff is idempotent, so that is fine.
      const entries = await query(
        INDEX.leadsDue,
        "#list = :due AND #due_at <= :now",
        { ":due": "due", ":now": now },
        batchLimit(limit),
      );
      return entries.map(
        (entry): DueLead => ({
          threadId: String(entry.thread_id).slice(DUE_PREFIX.length),
          dueAt: Number(entry.due_at),
        }),
      );
    },
    async settleDue(seen, nextDueAt) {
      const key = DUE_PREFIX + seen.threadId;
      const values = { ":seen": seen.dueAt };
      // Applies only at the due time the sweeper saw: a newer schedule (new activity) wins.
      if (nextDueAt !== null) {
        await change(
          key,
          { due_at: nextDueAt, ttl: ttlSeconds(nextDueAt + DUE_ENTRY_TTL_MS) },
          "#due_at = :seen",
          values,
        );
        return;
      }
      try {
        await client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { thread_id: key },
            ConditionExpression: "#due_at = :seen",
            ExpressionAttributeNames: { "#due_at": "due_at" },
            ExpressionAttributeValues: values,
          }),
        );
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
    },
  };
}
