import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DecisionEntry, JournalEntry, LeadJournal, OutcomeEntry } from "../../src/ports/lead-journal.js";

/** What a LeadJournal contract run needs: a fresh, empty journal and a way to dispose of it. */
export interface LeadJournalFixture {
  journal: LeadJournal;
  /**
   * Makes the backend fail every later write the way a real fault does (a full disk, a throttled
   * table): the journal must then throw, never answer an entry it did not keep.
   */
  breakWrites(): Promise<void>;
  teardown(): Promise<void>;
}

const DAY_MS = 86_400_000;

type Written = { threadId: string; at: number; ttl: number };
/** A decision as written. */
export type DecisionInput = DecisionEntry & Written;
/** An outcome as written. */
export type OutcomeInput = OutcomeEntry & Written;

/** A live decision (ttl 90 days from the real clock, as adapters compare against it); fields overridable. */
export function sampleDecision(overrides: Partial<DecisionInput> = {}): DecisionInput {
  return {
    kind: "decision",
    threadId: "cthr_journal1",
    at: 1_777_000_000_000,
    trigger: "idle",
    leadReason: "not_ready",
    actor: null,
    detail: "missing: vehicle",
    ttl: Date.now() + 90 * DAY_MS,
    ...overrides,
  };
}

/** A live outcome (ttl 90 days from the real clock); fields overridable. */
export function sampleOutcome(overrides: Partial<OutcomeInput> = {}): OutcomeInput {
  return {
    kind: "outcome",
    threadId: "cthr_journal1",
    at: 1_777_000_100_000,
    outcome: "won",
    value: "650.00",
    currency: "USD",
    actor: "Sam",
    ttl: Date.now() + 90 * DAY_MS,
    ...overrides,
  };
}

/** (at, id) order, the order every read answers in. */
function byAtThenId(a: JournalEntry, b: JournalEntry): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const ids = (entries: JournalEntry[]) => entries.map((entry) => entry.id);

/** The LeadJournal contract; every adapter runs it. */
export function runLeadJournalContract(name: string, setup: () => Promise<LeadJournalFixture>): void {
  describe(`LeadJournal contract: ${name}`, () => {
    let fixture: LeadJournalFixture;
    let journal: LeadJournal;
    beforeEach(async () => {
      fixture = await setup();
      journal = fixture.journal;
    });
    afterEach(async () => fixture.teardown());

    it("answers an append with the entry as written and a new id, and lists it", async () => {
      const input = sampleDecision();
      const entry = await journal.append(input);
      expect(entry).toEqual({ ...input, id: expect.any(String) });
      expect(entry.id).not.toBe("");
      expect(await journal.list(input.threadId, 10)).toEqual([entry]);
      expect(await journal.list("cthr_unknown", 10)).toEqual([]);
    });

    it("keeps every field of decisions and outcomes, nulls included", async () => {
      const written = [
        sampleDecision({
          at: 1000,
          trigger: "pagehide",
          leadReason: "missing_contact",
          actor: null,
          detail: null,
        }),
        sampleDecision({
          at: 2000,
          trigger: "owner_anyway",
          leadReason: "failed",
          actor: "Sam",
          detail: "550 mailbox unavailable",
        }),
        sampleOutcome({ at: 3000, outcome: "won", value: "650.00", currency: "USD", actor: "Sam" }),
        sampleOutcome({ at: 4000, outcome: "no_answer", value: null, currency: null, actor: "Alex" }),
      ];
      const appended: JournalEntry[] = [];
      for (const input of written) appended.push(await journal.append(input));
      expect(appended).toEqual(written.map((input) => ({ ...input, id: expect.any(String) })));
      expect(await journal.list("cthr_journal1", 10)).toEqual(appended);
      expect(await journal.listOutcomes({ since: 0, limit: 10 })).toEqual(appended.slice(2));
    });

    it("gives ids unique across threads and increasing within one, also for entries of the same ms", async () => {
      const a: JournalEntry[] = [];
      const b: JournalEntry[] = [];
      for (let i = 0; i < 5; i++) {
        a.push(await journal.append(sampleDecision({ threadId: "cthr_a", at: 5000, detail: `a${i}` })));
        b.push(await journal.append(sampleOutcome({ threadId: "cthr_b", at: 5000, actor: `b${i}` })));
      }
      a.push(await journal.append(sampleDecision({ threadId: "cthr_a", at: 5001, detail: "a5" })));
      for (const entries of [a, b])
        for (let i = 1; i < entries.length; i++)
          expect((entries[i - 1] as JournalEntry).id < (entries[i] as JournalEntry).id).toBe(true);
      expect(new Set([...ids(a), ...ids(b)]).size).toBe(11);
      // Entries of the same ms come back in the order they were appended.
      expect(await journal.list("cthr_a", 10)).toEqual(a);
      expect(await journal.list("cthr_b", 10)).toEqual(b);
    });

    it("keeps every one of many appends racing on one thread in the same ms", async () => {
      const entries = await Promise.all(
        Array.from({ length: 8 }, (_, i) => journal.append(sampleDecision({ at: 7000, detail: `d${i}` }))),
      );
      expect(new Set(ids(entries)).size).toBe(8);
      const listed = await journal.list("cthr_journal1", 10);
      expect(listed).toHaveLength(8);
      expect(listed).toEqual([...entries].sort(byAtThenId));
    });

    it("lists one thread oldest first (by at, whatever the order of appending), at most the newest `limit`", async () => {
      const e3 = await journal.append(sampleDecision({ at: 3000 }));
      const e1 = await journal.append(sampleDecision({ at: 1000 }));
      const e2 = await journal.append(sampleOutcome({ at: 2000 }));
      await journal.append(sampleDecision({ threadId: "cthr_other", at: 1500 }));
      expect(await journal.list("cthr_journal1", 10)).toEqual([e1, e2, e3]);
      expect(await journal.list("cthr_journal1", 3)).toEqual([e1, e2, e3]);
      expect(await journal.list("cthr_journal1", 2)).toEqual([e2, e3]);
      expect(await journal.list("cthr_journal1", 1)).toEqual([e3]);
      expect(await journal.list("cthr_journal1", 0)).toEqual([]);
    });

    it("hides entries past their ttl from a thread's list; the limit counts live entries only", async () => {
      const now = Date.now();
      const e1 = await journal.append(sampleDecision({ at: 1000, ttl: now + DAY_MS }));
      await journal.append(sampleOutcome({ at: 2000, ttl: now - 1000 }));
      await journal.append(sampleDecision({ at: 2500, ttl: now - 1 }));
      const e4 = await journal.append(sampleDecision({ at: 3000, ttl: now + 60_000 }));
      expect(await journal.list("cthr_journal1", 10)).toEqual([e1, e4]);
      expect(await journal.list("cthr_journal1", 2)).toEqual([e1, e4]);
      expect(await journal.list("cthr_journal1", 1)).toEqual([e4]);
    });

    it("lists live outcomes of every thread from `since` on (inclusive), by (at, id), at most `limit`", async () => {
      const now = Date.now();
      await journal.append(sampleOutcome({ threadId: "cthr_early", at: 999 }));
      await journal.append(sampleDecision({ threadId: "cthr_a", at: 1000, leadReason: "sent" }));
      const outcomes = [
        await journal.append(sampleOutcome({ threadId: "cthr_b", at: 3000, outcome: "booked" })),
        await journal.append(
          sampleOutcome({ threadId: "cthr_a", at: 1000, outcome: "lost", value: null, currency: null }),
        ),
        await journal.append(sampleOutcome({ threadId: "cthr_c", at: 2000, outcome: "spam" })),
        await journal.append(sampleOutcome({ threadId: "cthr_a", at: 2000, outcome: "won" })),
        await journal.append(sampleOutcome({ threadId: "cthr_b", at: 2000, outcome: "won" })),
      ];
      await journal.append(sampleOutcome({ threadId: "cthr_gone", at: 2500, ttl: now - 1000 }));
      await journal.append(sampleDecision({ threadId: "cthr_c", at: 2000, leadReason: "error" }));

      const expected = [...outcomes].sort(byAtThenId);
      expect(await journal.listOutcomes({ since: 1000, limit: 10 })).toEqual(expected);
      expect(await journal.listOutcomes({ since: 1000, limit: 2 })).toEqual(expected.slice(0, 2));
      expect(await journal.listOutcomes({ since: 2000, limit: 10 })).toEqual(expected.slice(1));
      expect(await journal.listOutcomes({ since: 2001, limit: 10 })).toEqual(expected.slice(4));
      expect(await journal.listOutcomes({ since: 3001, limit: 10 })).toEqual([]);
      expect(await journal.listOutcomes({ since: 1000, limit: 0 })).toEqual([]);
      expect(await journal.listOutcomes({ since: 1000, limit: 10, after: null })).toEqual(expected);
    });

    it("pages outcomes with the cursor through many of the same ms, none lost, none twice", async () => {
      const appended: JournalEntry[] = [];
      for (let i = 0; i < 7; i++) {
        for (const threadId of ["cthr_x", "cthr_y"]) {
          appended.push(await journal.append(sampleOutcome({ threadId, at: i < 5 ? 4000 : 4000 + i })));
        }
      }
      appended.push(await journal.append(sampleOutcome({ threadId: "cthr_z", at: 3000 })));
      const expected = [...appended].sort(byAtThenId);

      for (const pageSize of [1, 2, 3, 5]) {
        const seen: JournalEntry[] = [];
        let after: { at: number; id: string } | null = null;
        for (let round = 0; round < 50; round++) {
          const page: JournalEntry[] = await journal.listOutcomes({ since: 3000, limit: pageSize, after });
          expect(page.length).toBeLessThanOrEqual(pageSize);
          if (page.length === 0) break;
          seen.push(...page);
          const last = page.at(-1) as JournalEntry;
          after = { at: last.at, id: last.id };
        }
        expect([pageSize, ids(seen)]).toEqual([pageSize, ids(expected)]);
      }

      // A cursor from before `since` does not reach back past it.
      const first = expected[0] as JournalEntry;
      expect(
        await journal.listOutcomes({ since: 4006, limit: 10, after: { at: first.at, id: first.id } }),
      ).toEqual(expected.filter((entry) => entry.at >= 4006));
    });

    it("prunes entries past their ttl in bounded batches, oldest expiry first, and never a live one", async () => {
      const now = Date.now();
      const live = await journal.append(sampleOutcome({ threadId: "cthr_live", ttl: now + DAY_MS }));
      for (const [threadId, at, ttl] of [
        ["cthr_old", 1000, now - 1000],
        ["cthr_old", 2000, now - 3000],
        ["cthr_live", 500, now - 2000],
      ] as const) {
        await journal.append(sampleDecision({ threadId, at, ttl }));
      }

      expect(await journal.prune(now, 0)).toBe(0);
      // Only what expired by `now` counts: an entry whose ttl is exactly `now` is expired (as on read).
      expect(await journal.prune(now - 3000, 10)).toBe(1); // the one of ttl now - 3000
      expect(await journal.prune(now, 1)).toBe(1); // now - 2000, the oldest left
      expect(await journal.prune(now - 1500, 10)).toBe(0); // so that one went, not now - 1000
      expect(await journal.prune(now, 10)).toBe(1); // now - 1000
      expect(await journal.prune(now, 10)).toBe(0);
      expect(await journal.list("cthr_live", 10)).toEqual([live]);
      expect(await journal.listOutcomes({ since: 0, limit: 10 })).toEqual([live]);

      // Only the live entry was left: pruned ones are not counted twice.
      expect(await journal.prune(now + 2 * DAY_MS, 10)).toBe(1);
      expect(await journal.prune(now + 2 * DAY_MS, 10)).toBe(0);

      // The thread goes on: a new entry still gets an id after the ones it had.
      const next = await journal.append(sampleOutcome({ threadId: "cthr_live", at: live.at + 1 }));
      expect(next.id > live.id).toBe(true);
      expect(await journal.list("cthr_live", 10)).toEqual([next]);
    });

    it("throws when an entry cannot be written, and never shows half of one", async () => {
      const kept = await journal.append(sampleDecision({ at: 1000 }));
      await fixture.breakWrites();
      await expect(journal.append(sampleOutcome({ at: 2000 }))).rejects.toThrow();
      await expect(journal.append(sampleDecision({ at: 3000 }))).rejects.toThrow();
      expect(await journal.list("cthr_journal1", 10)).toEqual([kept]);
      expect(await journal.listOutcomes({ since: 0, limit: 10 })).toEqual([]);
    });

    it("throws when prune cannot delete, rather than count entries it did not delete", async () => {
      const now = Date.now();
      await journal.append(sampleDecision({ at: 1000, ttl: now - 1000 }));
      await fixture.breakWrites();
      await expect(journal.prune(now, 10)).rejects.toThrow();
    });
  });
}
