import { describe, expect, it } from "vitest";
import { ENHANCED_COLUMNS, enhancedConversionsCsv } from "../../../src/core/ads-export/enhanced.js";
import type { ExportLead, ExportSettings } from "../../../src/core/ads-export/types.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-20T18:00:00Z");
const settings: ExportSettings = {
  timeZone: "Europe/Berlin",
  conversionNames: { lead: "Website chat lead", won: "Website chat job won" },
  currency: "EUR",
  defaultRegion: "US",
  now: NOW,
};
// Digests of janedoe@gmail.com and +16502531234, computed with coreutils sha256sum.
const JANE = "d6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69";
const PHONE = "e101d1333c2310c83a1f96c4e0c12aa18b151ee0baaa2db3998ee3797d74b685";
const lead = (overrides: Partial<ExportLead> = {}): ExportLead => ({
  threadId: "cthr_1",
  sentAt: Date.parse("2026-10-25T01:30:00Z"),
  ...overrides,
});
const lines = (csv: string) => csv.split("\r\n");

describe("enhanced conversions for leads file", () => {
  it("starts with the Parameters row and the exact columns", () => {
    expect(enhancedConversionsCsv([], settings).csv).toBe(
      "Parameters:TimeZone=Europe/Berlin\r\n" +
        "Email,Phone Number,Conversion Name,Conversion Time,Conversion Value,Conversion Currency\r\n",
    );
    expect(ENHANCED_COLUMNS).toHaveLength(6);
  });

  it("hashes the normalized email and phone, for leads with no click id too", () => {
    const { csv, rows } = enhancedConversionsCsv(
      [lead({ email: " Jane.Doe@GMAIL.com", phone: "(650) 253-1234" })],
      settings,
    );
    // 01:30 UTC on the night Berlin falls back is the second 02:30, at +0100.
    expect(lines(csv)[2]).toBe(`${JANE},${PHONE},Website chat lead,2026-10-25 02:30:00+0100,,`);
    expect(rows).toBe(1);
    expect(csv).not.toMatch(/jane|650/i);
  });

  it("writes what it has: only the email, or only the phone", () => {
    const { csv } = enhancedConversionsCsv(
      [lead({ email: "janedoe@gmail.com", phone: "12" }), lead({ threadId: "b", phone: "+16502531234" })],
      settings,
    );
    expect(lines(csv).slice(2, -1)).toEqual([
      `${JANE},,Website chat lead,2026-10-25 02:30:00+0100,,`,
      `,${PHONE},Website chat lead,2026-10-25 02:30:00+0100,,`,
    ]);
  });

  it("adds the won conversion with its value, in the outcome's currency", () => {
    const { csv } = enhancedConversionsCsv(
      [
        lead({
          email: "janedoe@gmail.com",
          outcome: { kind: "won", value: 99.5, currency: "", at: Date.parse("2026-11-02T09:00:00Z") },
        }),
      ],
      settings,
    );
    expect(lines(csv)[3]).toBe(`${JANE},,Website chat job won,2026-11-02 10:00:00+0100,99.50,EUR`);
  });

  it("leaves out leads with no usable contact and clicks past 90 days, and counts them", () => {
    const { rows, skipped } = enhancedConversionsCsv(
      [
        lead({ threadId: "a" }),
        lead({ threadId: "b", email: "not an email", phone: "000" }),
        lead({ threadId: "c", email: "janedoe@gmail.com", clickAt: NOW - 95 * DAY, sentAt: NOW - 2 * DAY }),
        lead({ threadId: "d", email: "janedoe@gmail.com", sentAt: NOW - 100 * DAY }),
        lead({ threadId: "e", email: "janedoe@gmail.com", clickAt: NOW - 30 * DAY, sentAt: NOW - 2 * DAY }),
      ],
      settings,
    );
    expect(rows).toBe(1);
    expect(skipped).toEqual({ no_contact: 2, outside_click_window: 2 });
  });
});
