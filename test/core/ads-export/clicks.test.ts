import { describe, expect, it } from "vitest";
import { CLICK_COLUMNS, clickConversionsCsv } from "../../../src/core/ads-export/clicks.js";
import { CLICK_WINDOW_DAYS, withinClickWindow } from "../../../src/core/ads-export/conversions.js";
import type { ExportLead, ExportSettings } from "../../../src/core/ads-export/types.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-20T18:00:00Z");
const settings: ExportSettings = {
  timeZone: "America/Chicago",
  conversionNames: { lead: "Website chat lead", won: "Website chat job won" },
  currency: "USD",
  defaultRegion: "US",
  now: NOW,
};
const lead = (overrides: Partial<ExportLead> = {}): ExportLead => ({
  threadId: "cthr_1",
  sentAt: Date.parse("2026-11-03T20:05:00Z"),
  gclid: "CjwKCAiA1234_abc-XYZ",
  ...overrides,
});
const lines = (csv: string) => csv.split("\r\n");

describe("offline click conversions file", () => {
  it("starts with Google's template rows: the Parameters row, then the exact columns", () => {
    const { csv, rows } = clickConversionsCsv([], settings);
    expect(csv).toBe(
      "Parameters:TimeZone=America/Chicago\r\n" +
        "Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency\r\n",
    );
    expect(CLICK_COLUMNS).toHaveLength(5);
    expect(rows).toBe(0);
  });

  it("writes one lead conversion per lead with a gclid, in the shop's time and offset, no value", () => {
    const { csv, rows, skipped } = clickConversionsCsv([lead()], settings);
    expect(lines(csv)[2]).toBe("CjwKCAiA1234_abc-XYZ,Website chat lead,2026-11-03 14:05:00-0600,,");
    expect(rows).toBe(1);
    expect(skipped).toEqual({});
  });

  it("adds a won conversion with its value when the owner won the job; a lost one adds nothing", () => {
    const won = lead({
      outcome: { kind: "won", value: 1250, currency: "usd", at: Date.parse("2026-11-10T15:00:00Z") },
    });
    const lost = lead({
      threadId: "cthr_2",
      gclid: "EAIaIQobChMI",
      outcome: { kind: "lost", value: 0, currency: "USD", at: Date.parse("2026-11-10T15:00:00Z") },
    });
    const { csv, rows } = clickConversionsCsv([won, lost], settings);
    expect(lines(csv).slice(2, -1)).toEqual([
      "CjwKCAiA1234_abc-XYZ,Website chat lead,2026-11-03 14:05:00-0600,,",
      "CjwKCAiA1234_abc-XYZ,Website chat job won,2026-11-10 09:00:00-0600,1250.00,USD",
      "EAIaIQobChMI,Website chat lead,2026-11-03 14:05:00-0600,,",
    ]);
    expect(rows).toBe(3);
  });

  it("does not count a won outcome dated after the export (a clock off)", () => {
    const future = lead({ outcome: { kind: "won", value: 10, currency: "USD", at: NOW + 1000 } });
    expect(clickConversionsCsv([future], settings).rows).toBe(1);
  });

  it("leaves out leads without a gclid, with only a gbraid or wbraid, or with a junk id, and counts them", () => {
    const { csv, rows, skipped } = clickConversionsCsv(
      [
        { threadId: "a", sentAt: NOW - DAY },
        lead({ threadId: "b", gclid: "   " }),
        { threadId: "c", sentAt: NOW - DAY, gbraid: "0AAAAA" },
        { threadId: "d", sentAt: NOW - DAY, wbraid: "ClEKCQ" },
        lead({ threadId: "e", gclid: "=HYPERLINK(1)" }),
        lead({ threadId: "f", gclid: "-Cj0abc" }),
        lead({ threadId: "g", gclid: "Cj0 abc" }),
      ],
      settings,
    );
    expect(rows).toBe(0);
    expect(lines(csv)).toHaveLength(3);
    expect(skipped).toEqual({ no_click_id: 2, braid_only: 2, invalid_click_id: 3 });
  });

  it("keeps a gclid lead that also has a gbraid (the gclid is what the file takes)", () => {
    expect(clickConversionsCsv([lead({ gbraid: "0AAAAA" })], settings).rows).toBe(1);
  });

  it("defuses a conversion name a spreadsheet would run", () => {
    const evil = { ...settings, conversionNames: { lead: "=cmd|'/c calc'!A1", won: "won" } };
    expect(lines(clickConversionsCsv([lead()], evil).csv)[2]).toBe(
      "CjwKCAiA1234_abc-XYZ,'=cmd|'/c calc'!A1,2026-11-03 14:05:00-0600,,",
    );
  });
});

describe("Google's 90-day click window", () => {
  it("keeps a click younger than 90 days at export time and drops one 90 days old or more", () => {
    expect(CLICK_WINDOW_DAYS).toBe(90);
    const clickedAgo = (days: number, extraMs = 0) =>
      lead({ clickAt: NOW - days * DAY - extraMs, sentAt: NOW - DAY });
    expect(withinClickWindow(clickedAgo(89), NOW)).toBe(true);
    expect(withinClickWindow(clickedAgo(90, -1), NOW)).toBe(true);
    expect(withinClickWindow(clickedAgo(90), NOW)).toBe(false);
    expect(withinClickWindow(clickedAgo(120), NOW)).toBe(false);
    const { rows, skipped } = clickConversionsCsv([clickedAgo(10), clickedAgo(91)], settings);
    expect(rows).toBe(1);
    expect(skipped).toEqual({ outside_click_window: 1 });
  });

  it("falls back on the send time when the click time is unknown", () => {
    expect(withinClickWindow({ sentAt: NOW - 89 * DAY }, NOW)).toBe(true);
    expect(withinClickWindow({ sentAt: NOW - 91 * DAY }, NOW)).toBe(false);
  });
});
