import type { AttributionStore } from "../ports/attribution-store.js";
import type { BlobStore } from "../ports/blob-store.js";
import type { Clock } from "../ports/clock.js";
import type { LeadJournal } from "../ports/lead-journal.js";
import type { LeadStore } from "../ports/lead-store.js";
import type { Logger } from "../ports/logger.js";
import type { ThreadStore } from "../ports/thread-store.js";
import type { TokenStore } from "../ports/token-store.js";

/** Options of {@link createRetention}. */
export interface RetentionOptions {
  threads: Pick<ThreadStore, "listOrphanAttachments" | "getAttachment" | "deleteAttachment">;
  attribution: Pick<AttributionStore, "prune">;
  tokens: Pick<TokenStore, "prune">;
  /** Send rows past `LEAD_DEDUPE_TTL_DAYS`; their prepared messages' files go with them. */
  leads: Pick<LeadStore, "prune">;
  blobs: Pick<BlobStore, "delete">;
  /** Each conversation's history past `LEAD_JOURNAL_TTL_DAYS`. None: nothing to prune. */
  journal?: Pick<LeadJournal, "prune">;
  clock: Clock;
  logger: Logger;
  /** An upload never sent in a message is removed (row and file) once it is this old. @default 1 day */
  orphanAgeMs?: number;
  /** Rows removed per store query. @default 100 */
  batchSize?: number;
  /** Most rows of each kind removed in one run; the rest wait for the next. @default 1000 */
  maxPerRun?: number;
}

/** What one run removed. */
export interface RetentionReport {
  /** Attribution rows past their ttl (`LEAD_ATTRIBUTION_TTL_DAYS`). */
  attribution: number;
  /** SMS link tokens past their expiry (`SMS_LINK_TOKEN_TTL_DAYS`). */
  tokens: number;
  /** Lead send rows past their ttl (`LEAD_DEDUPE_TTL_DAYS`), with their prepared messages. */
  leads: number;
  /** Uploads never sent in a message, older than `orphanAgeMs`: row and file. */
  orphans: number;
  /** History entries past their ttl (`LEAD_JOURNAL_TTL_DAYS`). */
  journal: number;
  /** Rows that could not be removed (logged; tried again next run). */
  failed: number;
  ms: number;
}

const DAY_MS = 86_400_000;

/**
 * Retention on the embedded default: deletes what has outlived its purpose, in bounded batches, so
 * the SQLite file and `DATA_DIR/blobs` stop growing with rows nobody can read any more. Expired
 * attribution rows, SMS link tokens and lead send rows (with the files of their prepared messages)
 * go (reads already treated them as absent or expired), and so
 * do uploads never sent in a message once they are a day old, file first, then row (a failure
 * leaves the row, so the next run tries again). A thread's own files go with the thread
 * (`threads.delete`, see the chat service). The lead sweeper runs this at most once an hour.
 *
 * On AWS the same is done by the platform: DynamoDB TTL on the `ttl`/`expires_at` attributes and
 * an S3 lifecycle rule on `chatkit-attachments/`; there `prune` may answer 0.
 */
export function createRetention(options: RetentionOptions) {
  const { threads, attribution, tokens, leads, blobs, clock, logger } = options;
  const orphanAgeMs = options.orphanAgeMs ?? DAY_MS;
  const batchSize = Math.max(1, options.batchSize ?? 100);
  const maxPerRun = Math.max(1, options.maxPerRun ?? 1000);

  /** Calls `prune` batch by batch until a batch comes back short or the run's share is used. */
  async function pruneAll(kind: string, prune: (now: number, limit: number) => Promise<number>) {
    let removed = 0;
    try {
      while (removed < maxPerRun) {
        const limit = Math.min(batchSize, maxPerRun - removed);
        const n = await prune(clock.now(), limit);
        removed += n;
        if (n < limit) break;
      }
      return { removed, failed: 0 };
    } catch (error) {
      logger.error({ kind, removed, err: String(error) }, "retention could not prune");
      return { removed, failed: 1 };
    }
  }

  /**
   * Oldest first, file then row. A batch with a failure ends the run's share of orphans (a broken
   * disk then costs one batch of error lines an hour, not the whole run's); the rest wait.
   */
  async function removeOrphans() {
    let removed = 0;
    let failed = 0;
    let looked = 0;
    try {
      while (looked < maxPerRun) {
        const limit = Math.min(batchSize, maxPerRun - looked);
        const batch = await threads.listOrphanAttachments(clock.now() - orphanAgeMs, limit);
        looked += batch.length;
        for (const row of batch) {
          try {
            // Read again right before: an upload sent in a message since it was listed stays.
            const fresh = await threads.getAttachment(row.id);
            if (!fresh || fresh.threadId !== null) continue;
            if (fresh.key) await blobs.delete(fresh.key);
            await threads.deleteAttachment(row.id);
            removed++;
          } catch (error) {
            failed++;
            logger.error(
              { attachment_id: row.id, err: String(error) },
              "retention could not remove an unsent upload",
            );
          }
        }
        if (failed > 0 || batch.length < limit) break;
      }
    } catch (error) {
      failed++;
      logger.error(
        { kind: "orphans", removed, err: String(error) },
        "retention could not list unsent uploads",
      );
    }
    return { removed, failed };
  }

  return {
    /** One bounded run over every kind; never throws (failures are logged and counted). */
    async runOnce(): Promise<RetentionReport> {
      const started = performance.now();
      const attributionRun = await pruneAll("attribution", (now, limit) => attribution.prune(now, limit));
      const tokenRun = await pruneAll("tokens", (now, limit) => tokens.prune(now, limit));
      const leadRun = await pruneAll("leads", async (now, limit) => {
        const gone = await leads.prune(now, limit);
        for (const { threadId, emailKey } of gone) {
          if (!emailKey) continue;
          await blobs.delete(emailKey).catch((error: unknown) => {
            logger.error({ thread_id: threadId, err: String(error) }, "retention left a prepared lead email");
          });
        }
        return gone.length;
      });
      const orphanRun = await removeOrphans();
      const { journal } = options;
      const journalRun = journal
        ? await pruneAll("journal", (now, limit) => journal.prune(now, limit))
        : { removed: 0, failed: 0 };
      const report: RetentionReport = {
        attribution: attributionRun.removed,
        tokens: tokenRun.removed,
        leads: leadRun.removed,
        orphans: orphanRun.removed,
        journal: journalRun.removed,
        failed:
          attributionRun.failed + tokenRun.failed + leadRun.failed + orphanRun.failed + journalRun.failed,
        ms: Math.round(performance.now() - started),
      };
      if (report.attribution + report.tokens + report.leads + report.orphans + report.journal > 0)
        logger.info({ ...report }, "retention");
      return report;
    },
  };
}

/** The retention use case. */
export type Retention = ReturnType<typeof createRetention>;
