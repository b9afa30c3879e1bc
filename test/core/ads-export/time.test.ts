import { describe, expect, it } from "vitest";
import {
  canonicalTimeZone,
  formatConversionTime,
  parseCalendarDate,
  startOfDayInZone,
  zoneOffsetMinutes,
} from "../../../src/core/ads-export/time.js";

const at = (iso: string) => Date.parse(iso);

describe("conversion times in the shop's time zone", () => {
  it("formats Google's documented API example instant the same way, offset without the colon", () => {
    // The Google Ads API reference (ClickConversion.conversion_date_time) gives
    // "2019-01-01 12:32:45-08:00": the same instant in Los Angeles, in the file's ±HHMM form.
    expect(formatConversionTime(at("2019-01-01T12:32:45-08:00"), "America/Los_Angeles")).toBe(
      "2019-01-01 12:32:45-0800",
    );
  });

  it.each([
    // Chicago, central time: CDT -0500 in summer, CST -0600 in winter.
    ["2026-07-04T17:00:00Z", "2026-07-04 12:00:00-0500"],
    ["2026-01-15T18:30:00Z", "2026-01-15 12:30:00-0600"],
    // Spring forward on 2026-03-08: 01:59:59 CST is followed by 03:00:00 CDT.
    ["2026-03-08T07:59:59Z", "2026-03-08 01:59:59-0600"],
    ["2026-03-08T08:00:00Z", "2026-03-08 03:00:00-0500"],
    // Fall back on 2026-11-01: 01:30 happens twice, and only the offset tells which.
    ["2026-11-01T06:30:00Z", "2026-11-01 01:30:00-0500"],
    ["2026-11-01T07:30:00Z", "2026-11-01 01:30:00-0600"],
    // Late in the evening locally is already the next day in UTC.
    ["2026-11-04T04:59:59Z", "2026-11-03 22:59:59-0600"],
  ])("America/Chicago: %s is %s", (iso, text) => {
    expect(formatConversionTime(at(iso), "America/Chicago")).toBe(text);
  });

  it.each([
    // Europe/Berlin falls back on 2026-10-25 (last Sunday of October): 02:30 happens twice.
    ["Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-25 02:30:00+0200"],
    ["Europe/Berlin", "2026-10-25T01:30:00Z", "2026-10-25 02:30:00+0100"],
    ["Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-29 03:00:00+0200"],
    // Half-hour offsets, no DST.
    ["Asia/Kolkata", "2026-01-01T00:00:00Z", "2026-01-01 05:30:00+0530"],
    ["UTC", "2026-06-01T00:00:00.999Z", "2026-06-01 00:00:00+0000"],
  ])("%s: %s is %s", (zone, iso, text) => {
    expect(formatConversionTime(at(iso), zone)).toBe(text);
  });

  it("knows the offset in force at an instant", () => {
    expect(zoneOffsetMinutes(at("2026-07-01T12:00:00Z"), "America/Chicago")).toBe(-300);
    expect(zoneOffsetMinutes(at("2026-12-01T12:00:00Z"), "America/Chicago")).toBe(-360);
  });

  it("starts a day at the shop's midnight, DST days included", () => {
    const chicago = (date: string) => new Date(startOfDayInZone(date, "America/Chicago") ?? 0).toISOString();
    expect(chicago("2026-11-01")).toBe("2026-11-01T05:00:00.000Z"); // still CDT at midnight
    expect(chicago("2026-11-02")).toBe("2026-11-02T06:00:00.000Z"); // CST from then on
    expect(chicago("2026-03-08")).toBe("2026-03-08T06:00:00.000Z");
    expect(chicago("2026-03-09")).toBe("2026-03-09T05:00:00.000Z");
    expect(new Date(startOfDayInZone("2026-10-25", "Europe/Berlin") ?? 0).toISOString()).toBe(
      "2026-10-24T22:00:00.000Z",
    );
  });

  it("refuses dates that do not exist", () => {
    expect(parseCalendarDate("2026-02-29")).toBeNull();
    expect(parseCalendarDate("2028-02-29")).toEqual([2028, 2, 29]);
    expect(parseCalendarDate("2026-13-01")).toBeNull();
    expect(parseCalendarDate("2026-1-01")).toBeNull();
    expect(startOfDayInZone("2026-11-31", "America/Chicago")).toBeNull();
  });

  it("spells zones the canonical way and knows which exist", () => {
    expect(canonicalTimeZone("america/chicago")).toBe("America/Chicago");
    expect(canonicalTimeZone("Mars/Olympus_Mons")).toBeNull();
  });
});
