import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AcquireLeaseInput, LeadStore } from "../../src/ports/lead-store.js";

/** What a LeadStore contract run needs from an adapter. */
export interface LeadStoreFixture {
  store: LeadStore;
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
  });
}
