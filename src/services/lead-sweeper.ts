import { NotFoundError } from "../core/errors.js";
import type { Clock } from "../ports/clock.js";
import type { DueLead, LeadStore } from "../ports/lead-store.js";
import type { Logger } from "../ports/logger.js";
import type { LeadHandoffService } from "./lead-handoff.js";

/** Options of {@link createLeadSweeper}. */
export interface LeadSweeperOptions {
  handoff: Pick<LeadHandoffService, "sweep">;
  store: Pick<LeadStore, "listDue" | "settleDue">;
  clock: Clock;
  logger: Logger;
  /** Threads read per query. @default 100 */
  batchSize?: number;
  /** Most threads looked at in one pass; the rest wait for the next. @default 1000 */
  maxPerPass?: number;
  /** When a thread could not be looked at (storage or model down), try it again this much later. @default 60000 */
  retryMs?: number;
  /**
   * Run at the end of a pass, at most once an hour by `clock` (the first pass runs it): the
   * retention service. Its failures are logged and never fail the pass.
   */
  housekeeping?: { runOnce(): Promise<unknown> };
  /**
   * Run at the end of every pass: the owner's weekly digest (a clock check until it is due; it
   * never throws). None: no digest.
   */
  digest?: { runOnce(): Promise<unknown> };
}

/** What one pass did. */
export interface SweepReport {
  /** Threads looked at. */
  looked: number;
  /** Lead emails sent. */
  sent: number;
  /** Threads that could not be looked at (retried later). */
  failed: number;
  ms: number;
}

/** Housekeeping (retention) runs at most this often. */
const HOUSEKEEPING_EVERY_MS = 3_600_000;

/**
 * The sweeper: browser triggers are an optimisation, this is the guarantee. Every thread the chat
 * put on the due list (a customer message, plus the quiet window) gets the lead handoff with reason
 * `sweep` once it is due: never-triggered threads, `error` rows whose cool-down passed, `sending`
 * rows whose lease expired (a crash). Each is taken off the list or moved to when it should be
 * looked at again; a `not_ready` thread comes back only when the customer says something new.
 * Two processes sweeping at once are safe: the send lease decides.
 */
export function createLeadSweeper(options: LeadSweeperOptions) {
  const { handoff, store, clock, logger } = options;
  const batchSize = options.batchSize ?? 100;
  const maxPerPass = options.maxPerPass ?? 1000;
  const retryMs = options.retryMs ?? 60_000;
  let current: Promise<SweepReport> | null = null;
  /** Set by `stop`: no thread is looked at any more (a shutdown is draining the sends). */
  let stopped = false;
  let housekeptAt: number | null = null;

  /** Runs the housekeeping when an hour has passed since it last started (or the clock went back). */
  async function housekeep(): Promise<void> {
    const { housekeeping } = options;
    if (!housekeeping) return;
    const now = clock.now();
    if (housekeptAt !== null && now >= housekeptAt && now - housekeptAt < HOUSEKEEPING_EVERY_MS) return;
    housekeptAt = now;
    try {
      await housekeeping.runOnce();
    } catch (error) {
      logger.error({ err: String(error) }, "sweeper housekeeping failed");
    }
  }

  async function visit(due: DueLead, report: SweepReport): Promise<void> {
    try {
      const { result, nextCheckAt } = await handoff.sweep(due.threadId);
      if (result.lead_reason === "sent") report.sent++;
      await store.settleDue(due, nextCheckAt);
    } catch (error) {
      if (error instanceof NotFoundError) {
        await store.settleDue(due, null); // the thread was deleted
        return;
      }
      report.failed++;
      logger.error({ thread_id: due.threadId, err: String(error) }, "sweeper could not look at a thread");
      await store.settleDue(due, clock.now() + retryMs);
    }
  }

  async function pass(): Promise<SweepReport> {
    const started = performance.now();
    const report: SweepReport = { looked: 0, sent: 0, failed: 0, ms: 0 };
    const seen = new Set<string>();
    while (report.looked < maxPerPass && !stopped) {
      const now = clock.now();
      const batch = (await store.listDue(now, batchSize)).filter((due) => !seen.has(due.threadId));
      if (batch.length === 0) break;
      for (const due of batch) {
        if (stopped) break;
        seen.add(due.threadId);
        report.looked++;
        await visit(due, report).catch((error: unknown) => {
          report.failed++;
          logger.error({ thread_id: due.threadId, err: String(error) }, "sweeper could not settle a thread");
        });
      }
    }
    report.ms = Math.round(performance.now() - started);
    if (report.looked > 0) logger.info({ ...report }, "lead sweep");
    if (!stopped) await housekeep();
    if (!stopped) await options.digest?.runOnce();
    return report;
  }

  return {
    /** One pass over what is due now. A pass already running is joined, never doubled. */
    runOnce(): Promise<SweepReport> {
      current ??= pass().finally(() => {
        current = null;
      });
      return current;
    },

    /**
     * For a shutdown: looks at no further thread; the one being handed off now finishes (the
     * handoff's `drain` waits for it or releases its lease). Resolves when the pass has ended.
     */
    async stop(): Promise<void> {
      stopped = true;
      await current;
    },
  };
}

/** The sweeper use case. */
export type LeadSweeper = ReturnType<typeof createLeadSweeper>;
