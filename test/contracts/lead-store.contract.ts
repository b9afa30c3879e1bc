import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AcquireLeaseInput, LeadStore } from "../../src/ports/lead-store.js";

/** What a LeadStore contract run needs from an adapter. */
export interface LeadStoreFixture {
  store: LeadStore;
  /**
   * Makes the backend fail every later write the way a real fault does (a full disk, a throttled
   * table): the store must then throw, never report a change it did not make.
   */
  breakWrites(): Promise<void>;
  teardown(): Promise<void>;
}

const DAY = 86_400_000;

/** The LeadStore contract: every adapter must pass it. */
export function runLeadStoreContract(name: string, setup: () => Promise<LeadStoreFixture>): void {
  describe(`LeadStore contract: ${name}`, () => {
    let fixture: LeadStoreFixture;
    let store: LeadStore;
    beforeEach(async () => {
      fixture = await setup();
      store = fixture.store;
    });
    afterEach(async () => fixture.teardown());

    const lease = (over: Partial<AcquireLeaseInput> = {}): AcquireLeaseInput => ({
      threadId: "cthr_a",
      leaseId: "lease-1",
      now: 1_000_000,
      leaseExpiresAt: 1_000_000 + 60_000,
      ttl: 1_000_000 + 30 * DAY,
      ...over,
    });

    it("grants the first lease and records sending", async () => {
      const result = await store.acquireLease(lease());
      expect(result.acquired).toBe(true);
      expect(result.record).toMatchObject({
        threadId: "cthr_a",
        state: "sending",
        leaseId: "lease-1",
        attempts: 1,
      });
      expect(await store.get("cthr_a")).toMatchObject({ state: "sending" });
    });

    it("refuses a second lease while the first is live, returning the blocking row", async () => {
      await store.acquireLease(lease());
      const second = await store.acquireLease(lease({ leaseId: "lease-2", now: 1_000_010 }));
      expect(second).toMatchObject({ acquired: false, record: { state: "sending", leaseId: "lease-1" } });
    });

    it("grants exactly one of many concurrent acquisitions", async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.acquireLease(lease({ leaseId: `lease-${i}` }))),
      );
      expect(results.filter((r) => r.acquired)).toHaveLength(1);
    });

    it("takes over an expired sending lease", async () => {
      await store.acquireLease(lease());
      const later = await store.acquireLease(lease({ leaseId: "lease-2", now: 1_000_000 + 60_000 }));
      expect(later).toMatchObject({ acquired: true, record: { leaseId: "lease-2", attempts: 2 } });
      // The old holder can no longer finish.
      expect(
        await store.markSent({ threadId: "cthr_a", leaseId: "lease-1", messageId: "<m>", sentAt: 1 }),
      ).toBe(false);
    });

    it("marks sent for the holder and then refuses every lease", async () => {
      await store.acquireLease(lease());
      expect(
        await store.markSent({
          threadId: "cthr_a",
          leaseId: "lease-1",
          messageId: "<m@x>",
          sentAt: 1_000_500,
        }),
      ).toBe(true);
      const again = await store.acquireLease(lease({ leaseId: "lease-2", now: 1_000_000 + 10 * DAY }));
      expect(again).toMatchObject({
        acquired: false,
        record: { state: "sent", messageId: "<m@x>", sentAt: 1_000_500 },
      });
    });

    it("records an error with a cool-down, refuses during it and retries after it", async () => {
      await store.acquireLease(lease());
      expect(
        await store.markError({
          threadId: "cthr_a",
          leaseId: "lease-1",
          error: "smtp down",
          retryAfter: 1_300_000,
        }),
      ).toBe(true);
      const during = await store.acquireLease(lease({ leaseId: "lease-2", now: 1_200_000 }));
      expect(during).toMatchObject({
        acquired: false,
        record: { state: "error", lastError: "smtp down", retryAfter: 1_300_000 },
      });
      const after = await store.acquireLease(
        lease({ leaseId: "lease-3", now: 1_300_000, leaseExpiresAt: 1_360_000 }),
      );
      expect(after).toMatchObject({
        acquired: true,
        record: { state: "sending", leaseId: "lease-3", attempts: 2 },
      });
    });

    it("ignores markError from a stranger", async () => {
      await store.acquireLease(lease());
      expect(await store.markError({ threadId: "cthr_a", leaseId: "nope", error: "x", retryAfter: 0 })).toBe(
        false,
      );
      expect(await store.get("cthr_a")).toMatchObject({ state: "sending" });
    });

    it("treats a row past its ttl as absent", async () => {
      await store.acquireLease(lease({ ttl: 1_000_100 }));
      await store.markSent({ threadId: "cthr_a", leaseId: "lease-1", messageId: "<m>", sentAt: 1_000_050 });
      const reborn = await store.acquireLease(lease({ leaseId: "lease-2", now: 1_000_200 }));
      expect(reborn).toMatchObject({ acquired: true, record: { attempts: 1, leaseId: "lease-2" } });
    });

    it("keeps threads apart and answers null for unknown ones", async () => {
      await store.acquireLease(lease());
      expect((await store.acquireLease(lease({ threadId: "cthr_b" }))).acquired).toBe(true);
      expect(await store.get("cthr_unknown")).toBeNull();
    });
    it("fixes the prepared message for the holder only, and keeps it across a retry", async () => {
      await store.acquireLease(lease());
      const fixed = {
        emailKey: "lead-emails/cthr_a.eml",
        messageId: "<lead-cthr_a@x>",
        subject: "New lead: Maria",
        coveredThrough: 999_000,
      };
      expect(await store.prepare({ threadId: "cthr_a", leaseId: "nope", ...fixed })).toBe(false);
      expect(await store.prepare({ threadId: "cthr_a", leaseId: "lease-1", ...fixed })).toBe(true);
      await store.markError({
        threadId: "cthr_a",
        leaseId: "lease-1",
        error: "timeout",
        retryAfter: 1_100_000,
      });
      const retry = await store.acquireLease(lease({ leaseId: "lease-2", now: 1_100_000 }));
      expect(retry).toMatchObject({ acquired: true, record: { ...fixed, attempts: 2, state: "sending" } });
    });

    it("forgets the prepared message when the row expires", async () => {
      await store.acquireLease(lease({ ttl: 1_000_100 }));
      await store.prepare({
        threadId: "cthr_a",
        leaseId: "lease-1",
        emailKey: "k/x.eml",
        messageId: "<m>",
        subject: "s",
        coveredThrough: 5,
      });
      const reborn = await store.acquireLease(lease({ leaseId: "lease-2", now: 1_000_200 }));
      expect(reborn.record).toMatchObject({
        emailKey: null,
        messageId: null,
        subject: null,
        coveredThrough: null,
        followUps: 0,
        attempts: 1,
      });
    });

    it("counts follow-ups on a sent row once, however many processes try", async () => {
      await store.acquireLease(lease());
      const coverage = { threadId: "cthr_a", expectFollowUps: 0, followUps: 1, coveredThrough: 2_000_000 };
      expect(await store.recordCoverage(coverage)).toBe(false); // not sent yet
      await store.markSent({ threadId: "cthr_a", leaseId: "lease-1", messageId: "<m>", sentAt: 1_000_500 });
      expect(await store.get("cthr_a")).toMatchObject({ followUps: 0 });
      const tries = await Promise.all([1, 2, 3].map(() => store.recordCoverage(coverage)));
      expect(tries.filter(Boolean)).toHaveLength(1);
      expect(await store.get("cthr_a")).toMatchObject({
        followUps: 1,
        coveredThrough: 2_000_000,
        state: "sent",
      });
      // Small talk only moves the mark.
      expect(
        await store.recordCoverage({
          ...coverage,
          expectFollowUps: 1,
          followUps: 1,
          coveredThrough: 2_500_000,
        }),
      ).toBe(true);
      expect(await store.get("cthr_a")).toMatchObject({ followUps: 1, coveredThrough: 2_500_000 });
    });

    it("prunes rows past their ttl, oldest first and at most a limit, returning their message keys", async () => {
      for (const [threadId, ttl] of [
        ["cthr_a", 2_000_000],
        ["cthr_b", 1_500_000],
        ["cthr_c", 9_000_000],
      ] as const)
        await store.acquireLease(lease({ threadId, ttl }));
      await store.prepare({
        threadId: "cthr_b",
        leaseId: "lease-1",
        emailKey: "lead-emails/cthr_b.eml",
        messageId: "<m>",
        subject: "s",
        coveredThrough: null,
      });
      expect(await store.prune(1_000_000, 10)).toEqual([]);
      expect(await store.prune(3_000_000, 1)).toEqual([
        { threadId: "cthr_b", emailKey: "lead-emails/cthr_b.eml" },
      ]);
      expect(await store.prune(3_000_000, 10)).toEqual([{ threadId: "cthr_a", emailKey: null }]);
      expect(await store.get("cthr_a")).toBeNull();
      expect(await store.get("cthr_c")).not.toBeNull();
    });

    it("records a permanent failure: no lease again, counted until the row expires", async () => {
      await store.acquireLease(lease());
      await store.acquireLease(lease({ threadId: "cthr_b" }));
      expect(await store.markFailed({ threadId: "cthr_a", leaseId: "nope", error: "550" })).toBe(false);
      expect(
        await store.markFailed({ threadId: "cthr_a", leaseId: "lease-1", error: "550 no such user" }),
      ).toBe(true);
      const later = await store.acquireLease(lease({ leaseId: "lease-2", now: 1_000_000 + DAY }));
      expect(later).toMatchObject({
        acquired: false,
        record: { state: "failed", lastError: "550 no such user" },
      });
      expect(await store.countFailed(1_000_000)).toBe(1);
      expect(await store.countFailed(1_000_000 + 31 * DAY)).toBe(0);
    });

    describe("reopen (the owner's retry)", () => {
      const prepared = {
        emailKey: "lead-emails/cthr_a.eml",
        messageId: "<lead-cthr_a@x>",
        subject: "New lead: Maria",
        coveredThrough: 999_000,
      };
      const later = 1_000_000 + DAY;

      /** A row that tried once with a prepared message and then ended as `how`. */
      async function endedAs(how: "failed" | "error" | "sent" | "sending") {
        await store.acquireLease(lease());
        await store.prepare({ threadId: "cthr_a", leaseId: "lease-1", ...prepared });
        const held = { threadId: "cthr_a", leaseId: "lease-1" };
        if (how === "failed") await store.markFailed({ ...held, error: "550 no such user" });
        if (how === "error") await store.markError({ ...held, error: "timeout", retryAfter: later + DAY });
        if (how === "sent") await store.markSent({ ...held, messageId: "<m@x>", sentAt: 1_000_500 });
      }

      it("turns a failed row into an error due now; the next lease keeps the prepared message", async () => {
        await endedAs("failed");
        expect(await store.reopen({ threadId: "cthr_a", now: later })).toBe(true);
        expect(await store.get("cthr_a")).toMatchObject({
          state: "error",
          retryAfter: later,
          attempts: 1,
          lastError: "550 no such user",
          ...prepared,
        });
        const retry = await store.acquireLease(
          lease({ leaseId: "lease-2", now: later, leaseExpiresAt: later + 60_000 }),
        );
        expect(retry).toMatchObject({
          acquired: true,
          record: { state: "sending", leaseId: "lease-2", attempts: 2, ...prepared },
        });
      });

      it("cuts an error's cool-down short: a lease at the same time succeeds", async () => {
        await endedAs("error");
        const refused = await store.acquireLease(lease({ leaseId: "lease-2", now: later }));
        expect(refused).toMatchObject({ acquired: false, record: { state: "error" } });
        expect(await store.reopen({ threadId: "cthr_a", now: later })).toBe(true);
        const retry = await store.acquireLease(
          lease({ leaseId: "lease-3", now: later, leaseExpiresAt: later + 60_000 }),
        );
        expect(retry).toMatchObject({ acquired: true, record: { leaseId: "lease-3", ...prepared } });
      });

      it("changes nothing on a sent or sending row, an absent one or one past its ttl", async () => {
        for (const how of ["sent", "sending"] as const) {
          await endedAs(how);
          const before = await store.get("cthr_a");
          expect(await store.reopen({ threadId: "cthr_a", now: 1_000_010 })).toBe(false);
          expect(await store.get("cthr_a")).toEqual(before);
          await store.prune(Number.MAX_SAFE_INTEGER, 10);
        }
        expect(await store.reopen({ threadId: "cthr_none", now: later })).toBe(false);
        expect(await store.get("cthr_none")).toBeNull();

        await store.acquireLease(lease({ ttl: 1_000_100 }));
        await store.markFailed({ threadId: "cthr_a", leaseId: "lease-1", error: "550" });
        const expired = await store.get("cthr_a");
        expect(await store.reopen({ threadId: "cthr_a", now: 1_000_100 })).toBe(false);
        expect(await store.get("cthr_a")).toEqual(expired);
      });

      it("takes the row off the failed count", async () => {
        await endedAs("failed");
        await store.acquireLease(lease({ threadId: "cthr_b" }));
        await store.markFailed({ threadId: "cthr_b", leaseId: "lease-1", error: "550" });
        expect(await store.countFailed(later)).toBe(2);
        expect(await store.reopen({ threadId: "cthr_a", now: later })).toBe(true);
        expect(await store.countFailed(later)).toBe(1);
      });

      it("grants exactly one lease when two retries race each other and other takers", async () => {
        await endedAs("failed");
        const at = { now: later, leaseExpiresAt: later + 60_000 };
        const retry = (leaseId: string) =>
          store
            .reopen({ threadId: "cthr_a", now: later })
            .then(() => store.acquireLease(lease({ leaseId, ...at })));
        const results = await Promise.all([
          retry("owner-1"),
          retry("owner-2"),
          ...Array.from({ length: 8 }, (_, i) => store.acquireLease(lease({ leaseId: `sweep-${i}`, ...at }))),
        ]);
        const granted = results.filter((r) => r.acquired);
        expect(granted).toHaveLength(1);
        expect(await store.get("cthr_a")).toMatchObject({
          state: "sending",
          leaseId: granted[0]?.record.leaseId,
          attempts: 2,
          ...prepared,
        });
      });
    });

    it("gives a lease back so the next attempt may start at once", async () => {
      await store.acquireLease(lease());
      expect(await store.releaseLease({ threadId: "cthr_a", leaseId: "nope", now: 1_000_010 })).toBe(false);
      expect(await store.releaseLease({ threadId: "cthr_a", leaseId: "lease-1", now: 1_000_010 })).toBe(true);
      const next = await store.acquireLease(lease({ leaseId: "lease-2", now: 1_000_010 }));
      expect(next).toMatchObject({ acquired: true, record: { leaseId: "lease-2" } });
    });

    it("lists due threads oldest first, up to a limit, and only those due", async () => {
      await store.schedule("cthr_late", 3_000);
      await store.schedule("cthr_first", 1_000);
      await store.schedule("cthr_second", 2_000);
      expect(await store.listDue(2_500, 10)).toEqual([
        { threadId: "cthr_first", dueAt: 1_000 },
        { threadId: "cthr_second", dueAt: 2_000 },
      ]);
      expect(await store.listDue(5_000, 1)).toEqual([{ threadId: "cthr_first", dueAt: 1_000 }]);
      // A new message moves the due time.
      await store.schedule("cthr_first", 4_000);
      expect((await store.listDue(2_500, 10)).map((d) => d.threadId)).toEqual(["cthr_second"]);
    });

    it("settles a due thread unless new activity moved it meanwhile", async () => {
      await store.schedule("cthr_a", 1_000);
      await store.schedule("cthr_b", 1_000);
      await store.schedule("cthr_c", 1_000);
      await store.settleDue({ threadId: "cthr_a", dueAt: 1_000 }, null);
      await store.settleDue({ threadId: "cthr_b", dueAt: 1_000 }, 9_000);
      await store.schedule("cthr_c", 5_000); // the customer wrote while the sweeper looked
      await store.settleDue({ threadId: "cthr_c", dueAt: 1_000 }, null);
      expect(await store.listDue(10_000, 10)).toEqual([
        { threadId: "cthr_c", dueAt: 5_000 },
        { threadId: "cthr_b", dueAt: 9_000 },
      ]);
    });

    it("never grants a lease it could not write: a failing store yields at most one send", async () => {
      await fixture.breakWrites();
      const granted: string[] = [];
      for (let i = 0; i < 20; i++) {
        const leaseId = `lease-${i}`;
        const result = await store
          .acquireLease(lease({ leaseId, now: 1_000_000 + i * 60_000 }))
          .catch(() => null);
        if (result?.acquired) granted.push(leaseId);
      }
      expect(granted.length).toBeLessThanOrEqual(1);
      // A lease that was granted is really there.
      for (const leaseId of granted) expect((await store.get("cthr_a"))?.leaseId).toBe(leaseId);
    });

    it("a holder's write that fails throws, never answers as if it happened", async () => {
      await store.acquireLease(lease());
      await fixture.breakWrites();
      const outcome = await store
        .markSent({ threadId: "cthr_a", leaseId: "lease-1", messageId: "<m>", sentAt: 1_000_500 })
        .then((changed) => ({ changed }))
        .catch(() => "threw" as const);
      if (outcome !== "threw" && outcome.changed) expect((await store.get("cthr_a"))?.state).toBe("sent");
      else expect(outcome === "threw" || (await store.get("cthr_a"))?.state === "sending").toBe(true);
    });
  });
}
