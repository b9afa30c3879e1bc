import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import { NO_SHOP_CONTACT } from "../../src/core/extract/shop-contact.js";
import { type AdsExportRequest, createAdsExportService } from "../../src/services/ads-export.js";
import { createFakeClock } from "../support/fake-clock.js";
import { createInMemoryAttributionStore, createInMemoryThreadStore } from "../support/in-memory-ports.js";
import { seedThread } from "../support/threads.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-25T12:00:00Z");

async function setup(pageSize: number) {
  const clock = createFakeClock(NOW);
  const attribution = createInMemoryAttributionStore({ now: clock.now });
  const threads = createInMemoryThreadStore();
  const service = createAdsExportService({
    attribution,
    threads,
    shop: NO_SHOP_CONTACT,
    clock,
    timeZone: "America/Chicago",
    conversionNames: { lead: "Lead", won: "Won" },
    currency: "USD",
    defaultRegion: "US",
    pageSize,
  });
  return { attribution, threads, service };
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

  it.each([
    { kind: "pdf", since: "2026-11-01" },
    { kind: "clicks", since: "2026-02-30" },
    { kind: "clicks", since: "yesterday" },
  ])("refuses %j with a ValidationError", async (request) => {
    const { service } = await setup(500);
    await expect(service.exportCsv(request as AdsExportRequest)).rejects.toBeInstanceOf(ValidationError);
  });
});
