import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import { NO_SHOP_CONTACT } from "../../src/core/extract/shop-contact.js";
import { type AdsExportRequest, createAdsExportService } from "../../src/services/ads-export.js";
import { createFakeClock } from "../support/fake-clock.js";
import {
  createInMemoryAttributionStore,
  createInMemoryLeadJournal,
  createInMemoryThreadStore,
} from "../support/in-memory-ports.js";
import { seedThread } from "../support/threads.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-25T12:00:00Z");

async function setup(pageSize: number) {
  const clock = createFakeClock(NOW);
  const attribution = createInMemoryAttributionStore({ now: clock.now });
  const threads = createInMemoryThreadStore();
  const journal = createInMemoryLeadJournal({ now: clock.now });
  const service = createAdsExportService({
    attribution,
    journal,
    threads,
    shop: NO_SHOP_CONTACT,
    clock,
    timeZone: "America/Chicago",
    conversionNames: { lead: "Lead", won: "Won" },
    currency: "USD",
    defaultRegion: "US",
    pageSize,
  });
  return { attribution, threads, journal, service };
}

describe("ads export service", () => {
  it("reads every page of sent leads, ties at the same time included, in send order", async () => {
    const { attribution, service } = await setup(2);
    const sentAt = NOW - 2 * DAY;
    for (const [i, id] of ["cthr_c", "cthr_a", "cthr_b", "cthr_d", "cthr_e"].entries()) {
      await attribution.put({
        threadId: id,
        attribution: { gclid: `Gclid${id}` },
        createdAt: sentAt - DAY,
        // Three share one instant across the page boundary.
        leadSentAt: i < 3 ? sentAt : sentAt + i * 1000,
        ttl: NOW + 100 * DAY,
      });
    }
    const result = await service.exportCsv({ kind: "clicks", since: "2026-11-01" });
    expect(result.filename).toBe("google-ads-clicks-since-2026-11-01.csv");
    expect(result.rows).toBe(5);
    const ids = result.csv
      .split("\r\n")
      .slice(2, -1)
      .map((line) => line.split(",")[0]);
    expect(ids).toEqual(["Gclidcthr_a", "Gclidcthr_b", "Gclidcthr_c", "Gclidcthr_d", "Gclidcthr_e"]);
  });

  it("starts --since at the shop's midnight, not UTC's", async () => {
    const { attribution, threads, service } = await setup(500);
    // 23:30 on Oct 31 in Chicago (CDT) is already Nov 1 in UTC.
    const lateOct31 = Date.parse("2026-11-01T04:30:00Z");
    await seedThread(threads, "cthr_x", [{ role: "user", text: "x@example.com", at: lateOct31 - 60_000 }]);
    await attribution.put({
      threadId: "cthr_x",
      attribution: {},
      createdAt: lateOct31 - 60_000,
      leadSentAt: lateOct31,
      ttl: NOW + DAY,
    });
    expect((await service.exportCsv({ kind: "enhanced", since: "2026-11-01" })).rows).toBe(0);
    expect((await service.exportCsv({ kind: "enhanced", since: "2026-10-31" })).rows).toBe(1);
  });

  it("adds a won conversion with its value for the newest outcome, even for a lead sent before --since", async () => {
    const { attribution, journal, service } = await setup(2);
    const since = Date.parse("2026-11-01T05:00:00Z"); // Nov 1, 00:00 in Chicago (CDT)
    const seed = async (threadId: string, leadSentAt: number | null) =>
      attribution.put({
        threadId,
        attribution: { gclid: `Gclid${threadId}` },
        createdAt: (leadSentAt ?? since) - DAY,
        leadSentAt,
        ttl: NOW + 100 * DAY,
      });
    const outcome = (threadId: string, at: number, won: boolean) =>
      journal.append({
        kind: "outcome",
        threadId,
        at,
        ttl: NOW + 400 * DAY,
        actor: "owner",
        outcome: won ? "won" : "lost",
        value: won ? "650.00" : null,
        currency: won ? "USD" : null,
      });
    await seed("cthr_old", since - 5 * DAY); // sent in October, won in November
    await outcome("cthr_old", since + 3 * DAY, true);
    await seed("cthr_new", since + DAY); // sent and won in November
    await outcome("cthr_new", since + 2 * DAY, true);
    await seed("cthr_flip", since + DAY); // won, then lost: no won conversion
    await outcome("cthr_flip", since + 2 * DAY, true);
    await outcome("cthr_flip", since + 4 * DAY, false);
    await seed("cthr_early", since + DAY); // won in October: outside this export
    await outcome("cthr_early", since - DAY, true);

    // Daylight time ended on Nov 1: a day after midnight CDT is 23:00 CST.
    const rows = (await service.exportCsv({ kind: "clicks", since: "2026-11-01" })).csv
      .split("\r\n")
      .slice(2, -1)
      .sort();
    expect(rows).toEqual(
      [
        "Gclidcthr_early,Lead,2026-11-01 23:00:00-0600,,",
        "Gclidcthr_flip,Lead,2026-11-01 23:00:00-0600,,",
        "Gclidcthr_new,Lead,2026-11-01 23:00:00-0600,,",
        "Gclidcthr_new,Won,2026-11-02 23:00:00-0600,650.00,USD",
        "Gclidcthr_old,Won,2026-11-03 23:00:00-0600,650.00,USD",
      ].sort(),
    );
  });

  it.each([
    { kind: "pdf", since: "2026-11-01" },
    { kind: "clicks", since: "2026-02-30" },
    { kind: "clicks", since: "yesterday" },
  ])("refuses %j with a ValidationError", async (request) => {
    const { service } = await setup(500);
    await expect(service.exportCsv(request as AdsExportRequest)).rejects.toBeInstanceOf(ValidationError);
  });
});
