import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttributionRecord, AttributionStore } from "../../src/ports/attribution-store.js";

/** What an AttributionStore contract run needs: a fresh, empty store and a way to dispose of it. */
export interface AttributionStoreFixture {
  store: AttributionStore;
  teardown(): Promise<void>;
}

const DAY_MS = 86_400_000;

/** A live row (ttl 180 days from the real clock, as adapters compare against it); fields overridable. */
export function sampleAttributionRecord(overrides: Partial<AttributionRecord> = {}): AttributionRecord {
  const createdAt = Date.now();
  return {
    threadId: "cthr_attr1",
    attribution: {
      gclid: "Cj0KCQiA-abc",
      utm_source: "google",
      utm_medium: "cpc",
      utm_campaign: "headliners",
      landing_page: "https://shop.example/headliners?gclid=Cj0KCQiA-abc",
      referrer: "https://www.google.com/",
      first_seen_at: "2026-03-01T15:04:05.000Z",
    },
    createdAt,
    leadSentAt: null,
    ttl: createdAt + 180 * DAY_MS,
    ...overrides,
  };
}

/** The AttributionStore contract; every adapter runs it. */
export function runAttributionStoreContract(
  name: string,
  setup: () => Promise<AttributionStoreFixture>,
): void {
  describe(`AttributionStore contract: ${name}`, () => {
    let fixture: AttributionStoreFixture;
    beforeEach(async () => {
      fixture = await setup();
    });
    afterEach(async () => fixture.teardown());

    it("returns what was put, field for field, and null for unknown threads", async () => {
      const record = sampleAttributionRecord();
      await fixture.store.put(record);
      expect(await fixture.store.get(record.threadId)).toEqual(record);
      expect(await fixture.store.get("cthr_unknown")).toBeNull();
    });

    it("keeps an empty attribution and a partial one exactly", async () => {
      await fixture.store.put(sampleAttributionRecord({ threadId: "cthr_a", attribution: {} }));
      await fixture.store.put(
        sampleAttributionRecord({ threadId: "cthr_b", attribution: { utm_source: "fb" } }),
      );
      expect((await fixture.store.get("cthr_a"))?.attribution).toEqual({});
      expect((await fixture.store.get("cthr_b"))?.attribution).toEqual({ utm_source: "fb" });
    });

    it("replaces the row on a second put", async () => {
      await fixture.store.put(sampleAttributionRecord());
      const second = sampleAttributionRecord({ attribution: { utm_source: "bing" }, leadSentAt: 42 });
      await fixture.store.put(second);
      expect(await fixture.store.get(second.threadId)).toEqual(second);
    });

    it("hides rows past their ttl", async () => {
      const now = Date.now();
      await fixture.store.put(
        sampleAttributionRecord({ threadId: "cthr_old", createdAt: now - DAY_MS, ttl: now - 1000 }),
      );
      await fixture.store.put(sampleAttributionRecord({ threadId: "cthr_new", ttl: now + 60_000 }));
      expect(await fixture.store.get("cthr_old")).toBeNull();
      expect(await fixture.store.get("cthr_new")).not.toBeNull();
    });

    it("stamps lead_sent_at and leaves everything else alone", async () => {
      const record = sampleAttributionRecord();
      await fixture.store.put(record);
      await fixture.store.markLeadSent(record.threadId, 1_777_000_000_000);
      expect(await fixture.store.get(record.threadId)).toEqual({ ...record, leadSentAt: 1_777_000_000_000 });
    });

    it("ignores lead_sent_at for threads without a row", async () => {
      await expect(fixture.store.markLeadSent("cthr_unknown", 1)).resolves.toBeUndefined();
      expect(await fixture.store.get("cthr_unknown")).toBeNull();
    });

    it("keeps threads apart", async () => {
      await fixture.store.put(
        sampleAttributionRecord({ threadId: "cthr_a", attribution: { utm_source: "a" } }),
      );
      await fixture.store.put(
        sampleAttributionRecord({ threadId: "cthr_b", attribution: { utm_source: "b" } }),
      );
      await fixture.store.markLeadSent("cthr_a", 5);
      expect(await fixture.store.get("cthr_a")).toMatchObject({
        attribution: { utm_source: "a" },
        leadSentAt: 5,
      });
      expect(await fixture.store.get("cthr_b")).toMatchObject({
        attribution: { utm_source: "b" },
        leadSentAt: null,
      });
    });

    it("lists sent leads from a time on, in send order, page by page, live rows only", async () => {
      const { store } = fixture;
      const now = Date.now();
      const put = (threadId: string, leadSentAt: number | null, ttl = now + DAY_MS) =>
        store.put(sampleAttributionRecord({ threadId, leadSentAt, ttl }));
      await put("cthr_before", 999);
      await put("cthr_unsent", null);
      await put("cthr_c", 3000);
      await put("cthr_b", 2000);
      await put("cthr_a2", 2000);
      await put("cthr_expired", 2500, now - 1000);
      await put("cthr_first", 1000);
      await store.put(sampleAttributionRecord({ threadId: "cthr_stamped", leadSentAt: null }));
      await store.markLeadSent("cthr_stamped", 4000);

      const ids = (rows: { threadId: string }[]) => rows.map((row) => row.threadId);
      const all = await store.listLeadsSent({ since: 1000, limit: 10 });
      expect(ids(all)).toEqual(["cthr_first", "cthr_a2", "cthr_b", "cthr_c", "cthr_stamped"]);
      expect(all[4]).toMatchObject({ leadSentAt: 4000, attribution: { gclid: "Cj0KCQiA-abc" } });
      expect(await store.listLeadsSent({ since: 1000, limit: 0 })).toEqual([]);
      expect(await store.listLeadsSent({ since: 5000, limit: 10 })).toEqual([]);

      // Pages resume after the last row, ties at the same time included.
      const first = await store.listLeadsSent({ since: 1000, limit: 2 });
      expect(ids(first)).toEqual(["cthr_first", "cthr_a2"]);
      const last = first[1] as AttributionRecord & { leadSentAt: number };
      const second = await store.listLeadsSent({
        since: 1000,
        limit: 2,
        after: { leadSentAt: last.leadSentAt, threadId: last.threadId },
      });
      expect(ids(second)).toEqual(["cthr_b", "cthr_c"]);
    });

    it("prunes rows past their ttl in bounded batches, oldest expiry first, and never a live one", async () => {
      const { store } = fixture;
      const now = Date.now();
      const live = sampleAttributionRecord({ threadId: "cthr_live", ttl: now + DAY_MS });
      await store.put(live);
      for (const [threadId, ttl] of [
        ["cthr_e3", now - 1000],
        ["cthr_e1", now - 3000],
        ["cthr_e2", now - 2000],
      ] as const) {
        await store.put(sampleAttributionRecord({ threadId, createdAt: now - 2 * DAY_MS, ttl }));
      }

      expect(await store.prune(now, 0)).toBe(0);
      // Only what expired by `now` counts: a row whose ttl is exactly `now` is expired (as on read).
      expect(await store.prune(now - 3000, 10)).toBe(1); // cthr_e1
      expect(await store.prune(now, 1)).toBe(1); // cthr_e2, the oldest left
      expect(await store.prune(now - 1500, 10)).toBe(0); // so cthr_e2 went, not cthr_e3
      expect(await store.prune(now, 10)).toBe(1); // cthr_e3
      expect(await store.prune(now, 10)).toBe(0);
      expect(await store.get("cthr_live")).toEqual(live);

      // A pruned row is gone: stamping it revives nothing, and its id can be put again.
      await store.markLeadSent("cthr_e1", now);
      expect(await store.prune(now + 2 * DAY_MS, 10)).toBe(1); // only cthr_live was left
      expect(await store.get("cthr_live")).toBeNull();
      await store.put(live);
      expect(await store.get("cthr_live")).toEqual(live);
    });
  });
}
