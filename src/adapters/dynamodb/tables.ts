/**
 * The DynamoDB tables, described once: the adapters read and write these shapes,
 * `lead-handoff aws-setup` creates them against any endpoint, and the CDK stack (infra/) declares
 * them. Every table is on demand, keyed by strings, and expires rows through the numeric `ttl`
 * attribute (epoch seconds).
 */

/** Table names, from config (`LEADS_TABLE`, ...). */
export interface DynamoDbTableNames {
  leads: string;
  attribution: string;
  smsTokens: string;
  threads: string;
  rateLimits: string;
  journal: string;
}

/** The names the reference deployment uses (and our defaults). */
export const DEFAULT_TABLE_NAMES: DynamoDbTableNames = {
  leads: "ChatkitLeadDedupeTable",
  attribution: "ChatkitLeadAttributionTable",
  smsTokens: "ChatkitSmsLinkTokenTable",
  threads: "ChatkitThreadTable",
  rateLimits: "ChatkitRateLimitTable",
  journal: "ChatkitLeadJournalTable",
};

/** A key attribute. */
export interface KeyAttribute {
  name: string;
  type: "S" | "N";
}

/** A global secondary index (sparse when its partition attribute is set on some rows only). */
export interface IndexSpec {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /** Non-key attributes copied into the index; `all` copies every attribute. */
  project: "all" | "keys" | string[];
}

/** One table. */
export interface TableSpec {
  /** Which table this is (the key of {@link DynamoDbTableNames}). */
  kind: keyof DynamoDbTableNames;
  tableName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  indexes: IndexSpec[];
  /** The TTL attribute: epoch seconds. */
  ttlAttribute: "ttl";
}

/** Index names the adapters query. */
export const INDEX = {
  /** Leads: due-list entries (`list` = "due") by `due_at`, for the sweeper. */
  leadsDue: "due",
  /** Leads: every send row (`expiry_list` = "lead") by `expires_at` (ms), for prune. */
  leadsExpiry: "expiry",
  /** Leads: `failed` rows (`failed_list` = "failed") by `expires_at`, for /healthz. */
  leadsFailed: "failed",
  /** Threads: a user's threads (`user_id`) by `created_sort`. */
  threadsByUser: "by-user",
  /** Threads: a thread's attachment rows (`attachment_thread_id`). */
  attachmentsByThread: "by-thread",
  /** Threads: attachment rows never sent in a message (`orphan_list` = "orphan") by `created_at`. */
  orphanAttachments: "orphans",
  /**
   * Threads: thread items the customer wrote in (`active_list` = "active") by `activity_sort`
   * (zero-padded last customer activity + id), for the owner's console.
   */
  threadsActive: "active",
  /** Attribution: every row (`expiry_list` = "attribution") by `expires_at` (ms), for prune. */
  attributionExpiry: "expiry",
  /** SMS link tokens: every row (`expiry_list` = "token") by `expires_at` (ms), for prune. */
  smsTokensExpiry: "expiry",
  /** Journal: outcome entries only (`outcome_list` = "outcome") by `entry_key` (at first), for exports. */
  journalOutcomes: "outcomes",
  /** Journal: every entry (`expiry_list` = "journal") by `expires_at` (ms), for prune. */
  journalExpiry: "expiry",
} as const;

const S = (name: string): KeyAttribute => ({ name, type: "S" });
const N = (name: string): KeyAttribute => ({ name, type: "N" });

/** Every table the product uses, under the configured names. */
export function tableSpecs(names: DynamoDbTableNames = DEFAULT_TABLE_NAMES): TableSpec[] {
  return [
    {
      kind: "leads",
      tableName: names.leads,
      partitionKey: S("thread_id"),
      indexes: [
        { name: INDEX.leadsDue, partitionKey: S("list"), sortKey: N("due_at"), project: "keys" },
        {
          name: INDEX.leadsExpiry,
          partitionKey: S("expiry_list"),
          sortKey: N("expires_at"),
          project: ["email_key"],
        },
        {
          name: INDEX.leadsFailed,
          partitionKey: S("failed_list"),
          sortKey: N("expires_at"),
          project: "keys",
        },
      ],
      ttlAttribute: "ttl",
    },
    {
      kind: "attribution",
      tableName: names.attribution,
      partitionKey: S("thread_id"),
      indexes: [
        {
          name: INDEX.attributionExpiry,
          partitionKey: S("expiry_list"),
          sortKey: N("expires_at"),
          project: "keys",
        },
      ],
      ttlAttribute: "ttl",
    },
    {
      kind: "smsTokens",
      tableName: names.smsTokens,
      partitionKey: S("token"),
      indexes: [
        {
          name: INDEX.smsTokensExpiry,
          partitionKey: S("expiry_list"),
          sortKey: N("expires_at"),
          project: "keys",
        },
      ],
      ttlAttribute: "ttl",
    },
    {
      kind: "threads",
      tableName: names.threads,
      partitionKey: S("pk"),
      sortKey: S("sk"),
      indexes: [
        { name: INDEX.threadsByUser, partitionKey: S("user_id"), sortKey: S("created_sort"), project: "all" },
        { name: INDEX.attachmentsByThread, partitionKey: S("attachment_thread_id"), project: "all" },
        {
          name: INDEX.orphanAttachments,
          partitionKey: S("orphan_list"),
          sortKey: N("created_at"),
          project: "all",
        },
        {
          name: INDEX.threadsActive,
          partitionKey: S("active_list"),
          sortKey: S("activity_sort"),
          project: "all",
        },
      ],
      ttlAttribute: "ttl",
    },
    {
      kind: "rateLimits",
      tableName: names.rateLimits,
      partitionKey: S("key"),
      indexes: [],
      ttlAttribute: "ttl",
    },
    {
      // One item per entry; `entry_key` (the entry's id) starts with the zero-padded `at`.
      kind: "journal",
      tableName: names.journal,
      partitionKey: S("thread_id"),
      sortKey: S("entry_key"),
      indexes: [
        {
          name: INDEX.journalOutcomes,
          partitionKey: S("outcome_list"),
          sortKey: S("entry_key"),
          project: "all",
        },
        {
          name: INDEX.journalExpiry,
          partitionKey: S("expiry_list"),
          sortKey: N("expires_at"),
          project: "keys",
        },
      ],
      ttlAttribute: "ttl",
    },
  ];
}

/** Epoch milliseconds to the epoch seconds DynamoDB TTL reads. */
export function ttlSeconds(epochMs: number): number {
  return Math.ceil(epochMs / 1000);
}
