import { readFile } from "node:fs/promises";
import type { LeadSummary } from "../../src/core/lead-summary.js";
import type { SmsLinkRecord } from "../../src/core/sms-draft.js";
import type { AttributionRecord, AttributionStore } from "../../src/ports/attribution-store.js";
import type { Blob, BlobStore } from "../../src/ports/blob-store.js";
import type { ImageShrinker, ImageSource, ShrunkImage } from "../../src/ports/image-shrinker.js";
import type { JournalEntry, LeadJournal } from "../../src/ports/lead-journal.js";
import type { AcquireLeaseInput, DueLead, LeadRecord, LeadStore } from "../../src/ports/lead-store.js";
import type { Logger } from "../../src/ports/logger.js";
import type { Mailer, OutgoingMail } from "../../src/ports/mailer.js";
import type { Summarizer } from "../../src/ports/summarizer.js";
import type {
  Page,
  PageRequest,
  StoredAttachment,
  StoredThreadItem,
  ThreadRecord,
  ThreadStore,
} from "../../src/ports/thread-store.js";
import type { TokenStore } from "../../src/ports/token-store.js";
import type { SmsLinkCreator } from "../../src/services/lead-handoff.js";

/**
 * Small in-memory stand-ins for every port the services use, for unit tests. The stores follow
 * their port contracts (test/contracts/*.contract.ts) and the SQLite/fs adapters' semantics: they
 * hand out copies (a caller mutating a result changes nothing stored), a row past its ttl counts
 * as absent where the adapter says so, and every conditional write is atomic (no `await` inside).
 * Tests that need a port to misbehave replace one method on the returned object.
 */

const copy = <T>(value: T): T => structuredClone(value);

// ---------------------------------------------------------------------------------------------
// ThreadStore

const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;

function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE;
  return Math.min(MAX_PAGE, Math.max(1, Math.floor(limit)));
}

function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const data = rows.slice(0, limit);
  return { data, hasMore: rows.length > limit, after: data.at(-1)?.id ?? null };
}

/** Orders threads by (createdAt, id), the total order the SQLite store pages by. */
function compareThreads(a: ThreadRecord, b: ThreadRecord): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** ThreadStore in memory, with the SQLite store's paging, activity and delete rules. */
export function createInMemoryThreadStore(): ThreadStore {
  const threads = new Map<string, ThreadRecord>();
  const items = new Map<string, StoredThreadItem[]>();
  const attachments = new Map<string, StoredAttachment>();

  return {
    async createThread(thread) {
      if (threads.has(thread.id)) throw new Error(`thread ${thread.id} already exists`);
      const record: ThreadRecord = {
        id: thread.id,
        userId: thread.userId ?? null,
        createdAt: thread.createdAt,
        lastCustomerActivityAt: null,
        title: thread.title ?? null,
      };
      threads.set(thread.id, record);
      items.set(thread.id, []);
      return copy(record);
    },
    async getThread(threadId) {
      const thread = threads.get(threadId);
      return thread ? copy(thread) : null;
    },
    async listThreads(userId, page: PageRequest = {}) {
      const limit = pageLimit(page.limit);
      const order = page.order ?? "desc";
      const mine = [...threads.values()].filter((t) => t.userId === userId).sort(compareThreads);
      if (order === "desc") mine.reverse();
      // An unknown or foreign cursor starts from the beginning.
      const cursor = page.after ? mine.find((t) => t.id === page.after) : undefined;
      const rest = cursor
        ? mine.filter((t) =>
            order === "asc" ? compareThreads(t, cursor) > 0 : compareThreads(t, cursor) < 0,
          )
        : mine;
      return toPage(rest.map(copy), limit);
    },
    async listActive({ limit, before, since }) {
      // Newest activity first, ties by id descending: "a before b" in this order is compare(a, b) < 0.
      const compare = (a: { at: number; id: string }, b: { at: number; id: string }) =>
        b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
      return [...threads.values()]
        .flatMap((t) =>
          t.lastCustomerActivityAt === null ? [] : [{ at: t.lastCustomerActivityAt, id: t.id, t }],
        )
        .filter((row) => since === null || since === undefined || row.at >= since)
        .filter((row) => !before || compare(row, { at: before.at, id: before.threadId }) > 0)
        .sort(compare)
        .slice(0, batchLimit(limit))
        .map((row) => copy(row.t));
    },
    async updateThread(threadId, patch) {
      const thread = threads.get(threadId);
      if (!thread) return null;
      thread.title = patch.title;
      return copy(thread);
    },
    async deleteThread(threadId) {
      threads.delete(threadId);
      items.delete(threadId);
      for (const [id, attachment] of attachments)
        if (attachment.threadId === threadId) attachments.delete(id);
    },
    async addItem(threadId, item) {
      const thread = threads.get(threadId);
      const list = items.get(threadId);
      if (!thread || !list) throw new Error(`thread ${threadId} does not exist`);
      if (list.some((existing) => existing.id === item.id)) {
        throw new Error(`item ${item.id} already exists in thread ${threadId}`);
      }
      list.push(copy(item));
      if (item.type === "user_message") {
        const at = Date.parse(item.created_at);
        if (!Number.isNaN(at))
          thread.lastCustomerActivityAt = Math.max(thread.lastCustomerActivityAt ?? 0, at);
      }
    },
    async listItems(threadId) {
      return (items.get(threadId) ?? []).map(copy);
    },
    async listItemsPage(threadId, page: PageRequest = {}) {
      const limit = pageLimit(page.limit);
      const order = page.order ?? "asc";
      const list = items.get(threadId) ?? [];
      const index = page.after ? list.findIndex((i) => i.id === page.after) : -1;
      let rows: StoredThreadItem[];
      if (order === "asc") rows = index >= 0 ? list.slice(index + 1) : list.slice();
      else rows = (index >= 0 ? list.slice(0, index) : list.slice()).reverse();
      return toPage(rows.map(copy), limit);
    },
    async countItems(threadId) {
      return items.get(threadId)?.length ?? 0;
    },
    async deleteItem(threadId, itemId) {
      const list = items.get(threadId) ?? [];
      const index = list.findIndex((existing) => existing.id === itemId);
      if (index < 0) return false;
      list.splice(index, 1);
      return true;
    },
    async replaceItem(threadId, item) {
      const list = items.get(threadId) ?? [];
      const index = list.findIndex((existing) => existing.id === item.id);
      if (index < 0) return false;
      list[index] = copy(item);
      return true;
    },
    async saveAttachment(attachment) {
      attachments.set(attachment.id, copy(attachment));
    },
    async getAttachment(attachmentId) {
      const attachment = attachments.get(attachmentId);
      return attachment ? copy(attachment) : null;
    },
    async deleteAttachment(attachmentId) {
      attachments.delete(attachmentId);
    },
    async listThreadAttachments(threadId) {
      return [...attachments.values()]
        .filter((a) => a.threadId === threadId)
        .sort(compareAttachments)
        .map(copy);
    },
    async listOrphanAttachments(createdBefore, limit) {
      return [...attachments.values()]
        .filter((a) => a.threadId === null && a.createdAt < createdBefore)
        .sort(compareAttachments)
        .slice(0, batchLimit(limit))
        .map(copy);
    },
  };
}

/** Orders attachment rows by (createdAt, id), as the SQLite store lists them. */
function compareAttachments(a: StoredAttachment, b: StoredAttachment): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A batch size as the SQLite stores take it: whole, at least 0. */
function batchLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
}

// ---------------------------------------------------------------------------------------------
// LeadStore

/**
 * LeadStore in memory, statement for statement what the SQLite store does. `breakWrites` makes
 * every later change throw (as a full disk does to SQLite), while reads and refusals still answer.
 */
export function createInMemoryLeadStore(): LeadStore & { breakWrites(): void } {
  const rows = new Map<string, LeadRecord>();
  const due = new Map<string, number>();
  let broken = false;

  /** Called right before a change: a broken store throws instead of making it. */
  function write(): void {
    if (broken) throw new Error("in-memory lead store: writes are broken (disk full)");
  }

  /** The row, if `leaseId` still holds its lease (the SQLite `held` clause). */
  function held(input: { threadId: string; leaseId: string }): LeadRecord | null {
    const row = rows.get(input.threadId);
    return row && row.leaseId === input.leaseId && row.state === "sending" ? row : null;
  }

  return {
    breakWrites() {
      broken = true;
    },
    async get(threadId) {
      const row = rows.get(threadId);
      return row ? copy(row) : null;
    },
    async acquireLease(input: AcquireLeaseInput) {
      const row = rows.get(input.threadId);
      if (!row) {
        const record: LeadRecord = {
          threadId: input.threadId,
          state: "sending",
          leaseId: input.leaseId,
          leaseExpiresAt: input.leaseExpiresAt,
          attempts: 1,
          lastError: null,
          retryAfter: null,
          messageId: null,
          emailKey: null,
          subject: null,
          coveredThrough: null,
          followUps: 0,
          sentAt: null,
          ttl: input.ttl,
        };
        write();
        rows.set(input.threadId, record);
        return { acquired: true, record: copy(record) };
      }
      const expired = row.ttl <= input.now;
      const free =
        (row.state === "sending" && row.leaseExpiresAt <= input.now) ||
        (row.state === "error" && row.retryAfter !== null && row.retryAfter <= input.now) ||
        expired;
      if (!free) return { acquired: false, record: copy(row) };
      const record: LeadRecord = {
        ...row,
        state: "sending",
        leaseId: input.leaseId,
        leaseExpiresAt: input.leaseExpiresAt,
        attempts: expired ? 1 : row.attempts + 1,
        messageId: expired ? null : row.messageId,
        emailKey: expired ? null : row.emailKey,
        subject: expired ? null : row.subject,
        coveredThrough: expired ? null : row.coveredThrough,
        followUps: expired ? 0 : row.followUps,
        lastError: expired ? null : row.lastError,
        sentAt: null,
        retryAfter: null,
        ttl: input.ttl,
      };
      write();
      rows.set(input.threadId, record);
      return { acquired: true, record: copy(record) };
    },
    async prepare(input) {
      const row = held(input);
      if (!row) return false;
      write();
      Object.assign(row, {
        emailKey: input.emailKey,
        messageId: input.messageId,
        subject: input.subject,
        coveredThrough: input.coveredThrough,
      });
      return true;
    },
    async markSent(input) {
      const row = held(input);
      if (!row) return false;
      write();
      Object.assign(row, {
        state: "sent",
        messageId: input.messageId,
        sentAt: input.sentAt,
        lastError: null,
        retryAfter: null,
      });
      return true;
    },
    async markError(input) {
      const row = held(input);
      if (!row) return false;
      write();
      Object.assign(row, { state: "error", lastError: input.error, retryAfter: input.retryAfter });
      return true;
    },
    async markFailed(input) {
      const row = held(input);
      if (!row) return false;
      write();
      Object.assign(row, { state: "failed", lastError: input.error, retryAfter: null });
      return true;
    },
    async recordCoverage(input) {
      const row = rows.get(input.threadId);
      if (row?.state !== "sent" || row.followUps !== input.expectFollowUps) return false;
      write();
      Object.assign(row, { followUps: input.followUps, coveredThrough: input.coveredThrough });
      return true;
    },
    async reopen(input) {
      const row = rows.get(input.threadId);
      if (!row || row.ttl <= input.now || (row.state !== "failed" && row.state !== "error")) return false;
      write();
      Object.assign(row, { state: "error", retryAfter: input.now });
      return true;
    },
    async releaseLease(input) {
      const row = held(input);
      if (!row) return false;
      write();
      row.leaseExpiresAt = input.now;
      return true;
    },
    async prune(now, limit) {
      const expired = [...rows.values()]
        .filter((row) => row.ttl <= now)
        .sort((a, b) => a.ttl - b.ttl)
        .slice(0, Math.max(0, Math.floor(limit)));
      if (expired.length > 0) write();
      for (const row of expired) rows.delete(row.threadId);
      return expired.map((row) => ({ threadId: row.threadId, emailKey: row.emailKey }));
    },
    async countFailed(now) {
      return [...rows.values()].filter((row) => row.state === "failed" && row.ttl > now).length;
    },
    async schedule(threadId, dueAt) {
      write();
      due.set(threadId, dueAt);
    },
    async listDue(now, limit) {
      return [...due.entries()]
        .filter(([, dueAt]) => dueAt <= now)
        .sort((a, b) => a[1] - b[1])
        .slice(0, limit)
        .map(([threadId, dueAt]): DueLead => ({ threadId, dueAt }));
    },
    async settleDue(seen, nextDueAt) {
      // Only when nothing rescheduled the thread since it was listed.
      if (due.get(seen.threadId) !== seen.dueAt) return;
      write();
      if (nextDueAt === null) due.delete(seen.threadId);
      else due.set(seen.threadId, nextDueAt);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// AttributionStore

/** AttributionStore in memory; rows past their ttl are hidden on read, as in SQLite. */
export function createInMemoryAttributionStore(options: { now?: () => number } = {}): AttributionStore {
  const now = options.now ?? Date.now;
  const rows = new Map<string, AttributionRecord>();
  return {
    async put(record) {
      rows.set(record.threadId, copy(record));
    },
    async get(threadId) {
      const row = rows.get(threadId);
      return row && row.ttl > now() ? copy(row) : null;
    },
    async markLeadSent(threadId, at) {
      const row = rows.get(threadId);
      if (row) row.leadSentAt = at;
    },
    async listLeadsSent({ since, limit, after }) {
      const isAfter = (row: AttributionRecord & { leadSentAt: number }) =>
        !after ||
        row.leadSentAt > after.leadSentAt ||
        (row.leadSentAt === after.leadSentAt && row.threadId > after.threadId);
      return [...rows.values()]
        .filter((row): row is AttributionRecord & { leadSentAt: number } => row.leadSentAt !== null)
        .filter((row) => row.ttl > now() && row.leadSentAt >= since && isAfter(row))
        .sort((a, b) => a.leadSentAt - b.leadSentAt || (a.threadId < b.threadId ? -1 : 1))
        .slice(0, batchLimit(limit))
        .map(copy);
    },
    async prune(at, limit) {
      const expired = [...rows.values()]
        .filter((row) => row.ttl <= at)
        .sort((a, b) => a.ttl - b.ttl)
        .slice(0, batchLimit(limit));
      for (const row of expired) rows.delete(row.threadId);
      return expired.length;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// LeadJournal

/**
 * LeadJournal in memory, as the SQLite journal: ids are a counter zero-padded to 16 digits (never
 * handed out twice), reads hide entries past their ttl and order by (at, id). `breakWrites` makes
 * every later write throw (as a full disk does to SQLite), while reads still answer.
 */
export function createInMemoryLeadJournal(
  options: { now?: () => number } = {},
): LeadJournal & { breakWrites(): void } {
  const now = options.now ?? Date.now;
  const entries: JournalEntry[] = [];
  let lastSeq = 0;
  let broken = false;

  function write(): void {
    if (broken) throw new Error("in-memory lead journal: writes are broken (disk full)");
  }
  const order = (a: JournalEntry, b: JournalEntry) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  return {
    breakWrites() {
      broken = true;
    },
    async append(input) {
      write();
      // Only the port's fields, as a backend would keep them.
      const common = { threadId: input.threadId, at: input.at, ttl: input.ttl };
      const id = String(++lastSeq).padStart(16, "0");
      const entry: JournalEntry =
        input.kind === "outcome"
          ? {
              ...common,
              id,
              kind: "outcome",
              outcome: input.outcome,
              value: input.value,
              currency: input.currency,
              actor: input.actor,
            }
          : {
              ...common,
              id,
              kind: "decision",
              trigger: input.trigger,
              leadReason: input.leadReason,
              actor: input.actor,
              detail: input.detail,
            };
      entries.push(entry);
      return copy(entry);
    },
    async list(threadId, limit) {
      const want = batchLimit(limit);
      if (want === 0) return [];
      return entries
        .filter((entry) => entry.threadId === threadId && entry.ttl > now())
        .sort(order)
        .slice(-want)
        .map(copy);
    },
    async listOutcomes({ since, limit, after }) {
      return entries
        .filter((entry) => entry.kind === "outcome" && entry.at >= since && entry.ttl > now())
        .filter((entry) => !after || order(entry, { ...entry, at: after.at, id: after.id }) > 0)
        .sort(order)
        .slice(0, batchLimit(limit))
        .map(copy);
    },
    async prune(at, limit) {
      const expired = entries
        .filter((entry) => entry.ttl <= at)
        .sort((a, b) => a.ttl - b.ttl)
        .slice(0, batchLimit(limit));
      if (expired.length > 0) write();
      for (const entry of expired) entries.splice(entries.indexOf(entry), 1);
      return expired.length;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// TokenStore

/** TokenStore in memory; an expired token is still read back (the caller answers 410) until pruned. */
export function createInMemoryTokenStore(): TokenStore {
  const rows = new Map<string, SmsLinkRecord>();
  return {
    async put(record) {
      // Never re-points an existing token, as SQLite's plain INSERT refuses it.
      if (rows.has(record.token)) throw new Error(`token ${record.token} already exists`);
      rows.set(record.token, copy(record));
    },
    async get(token) {
      const row = rows.get(token);
      return row ? copy(row) : null;
    },
    async prune(now, limit) {
      const expired = [...rows.values()]
        .filter((row) => row.expiresAt <= now)
        .sort((a, b) => a.expiresAt - b.expiresAt)
        .slice(0, batchLimit(limit));
      for (const row of expired) rows.delete(row.token);
      return expired.length;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// BlobStore

/** The fs store's key rule: relative, `/`-separated names, one optional extension. */
const SAFE_KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*(\.[A-Za-z0-9]+)?$/;

/** BlobStore in memory; refuses the keys the fs store refuses, with the same message. */
export function createInMemoryBlobStore(): BlobStore & { keys(): string[] } {
  const blobs = new Map<string, Blob>();
  function check(key: string): string {
    if (!SAFE_KEY.test(key)) throw new Error(`invalid blob key: ${key}`);
    return key;
  }
  return {
    async put(key, bytes, { contentType }) {
      blobs.set(check(key), { bytes: new Uint8Array(bytes), contentType });
    },
    async get(key) {
      const blob = blobs.get(check(key));
      return blob ? { bytes: new Uint8Array(blob.bytes), contentType: blob.contentType } : null;
    },
    async head(key) {
      const blob = blobs.get(check(key));
      return blob ? { size: blob.bytes.byteLength, contentType: blob.contentType } : null;
    },
    async delete(key) {
      blobs.delete(check(key));
    },
    keys: () => [...blobs.keys()].sort(),
  };
}

// ---------------------------------------------------------------------------------------------
// Summarizer, Mailer, ImageShrinker, SmsLinkCreator, Logger

/** A Summarizer that answers a fixed summary (or what `summarize` computes) and counts its calls. */
export function createFixedSummarizer(
  summary: LeadSummary | (() => LeadSummary),
): Summarizer & { calls: number } {
  const fake = {
    name: "fixed",
    calls: 0,
    async summarize() {
      fake.calls += 1;
      return copy(typeof summary === "function" ? summary() : summary);
    },
  };
  return fake;
}

/** A Mailer that keeps every message it was given (also the ones `failWith` made it refuse). */
export interface RecordingMailer extends Mailer {
  /** Messages delivered, in order. */
  readonly sent: OutgoingMail[];
  /** Every call of `send`, delivered or not. */
  readonly attempts: OutgoingMail[];
  /** From now on, `send` throws this (null: delivers again). */
  failWith(error: unknown): void;
}

export function createRecordingMailer(): RecordingMailer {
  const sent: OutgoingMail[] = [];
  const attempts: OutgoingMail[] = [];
  let failure: unknown = null;
  return {
    sent,
    attempts,
    failWith(error) {
      failure = error;
    },
    async send(mail) {
      attempts.push(mail);
      if (failure !== null) throw failure;
      sent.push(mail);
      return { messageId: mail.messageId };
    },
  };
}

/** An ImageShrinker that "shrinks" by keeping the first `keepBytes` bytes, and records its calls. */
export function createFakeImageShrinker(keepBytes = 1024): ImageShrinker & { calls: number } {
  const fake = {
    calls: 0,
    async shrink(source: ImageSource, options: { maxEdge: number }): Promise<ShrunkImage> {
      fake.calls += 1;
      const bytes = source instanceof Uint8Array ? source : new Uint8Array(await readFile(source.path));
      if (bytes.byteLength === 0) throw new Error("not an image");
      return {
        bytes: bytes.slice(0, keepBytes),
        contentType: "image/jpeg",
        width: options.maxEdge,
        height: options.maxEdge,
      };
    },
  };
  return fake;
}

/** The input of one `SmsLinkCreator.create` call. */
export type SmsLinkRequest = Parameters<SmsLinkCreator["create"]>[0];

/** An SmsLinkCreator that hands out `<base>/sms/tok<n>` links (or throws `failWith`). */
export function createRecordingSmsLinkCreator(
  base = "https://chat.shop.example",
): SmsLinkCreator & { calls: SmsLinkRequest[]; failWith(error: unknown): void } {
  const calls: SmsLinkRequest[] = [];
  let failure: unknown = null;
  return {
    calls,
    failWith(error) {
      failure = error;
    },
    async create(input) {
      calls.push(copy(input));
      if (failure !== null) throw failure;
      return `${base}/sms/tok${calls.length}`;
    },
  };
}

/** One log call. */
export interface LogEntry {
  level: "info" | "warn" | "error";
  fields: Record<string, unknown>;
  message: string;
}

/** A Logger that keeps every entry. */
export function createRecordingLogger(): Logger & {
  entries: LogEntry[];
  at(level: LogEntry["level"]): LogEntry[];
} {
  const entries: LogEntry[] = [];
  const log = (level: LogEntry["level"]) => (fields: Record<string, unknown>, message: string) => {
    entries.push({ level, fields: { ...fields }, message });
  };
  return {
    entries,
    at: (level) => entries.filter((entry) => entry.level === level),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
  };
}
