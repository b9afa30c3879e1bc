import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import {
  type Attribution,
  attributionRows,
  attributionSchema,
  MAX_ATTRIBUTION_URL_CHARS,
  MAX_ATTRIBUTION_VALUE_CHARS,
  MAX_DROPPED_KEYS_NAMED,
  sanitizeAttribution,
} from "../../src/core/attribution.js";
import type { AttributionRecord } from "../../src/ports/attribution-store.js";
import type { Attribution as WidgetAttribution } from "../../web/widget/attribution.js";

const full = {
  gclid: "Cj0KCQiA-abc",
  gbraid: "0AAAAA-gb",
  wbraid: "CjgKEAwb",
  utm_source: "google",
  utm_medium: "cpc",
  utm_campaign: "headliners-spring",
  utm_term: "headliner repair austin",
  utm_content: "ad-1",
  landing_page: "https://shop.example/headliners?utm_source=google&gclid=Cj0KCQiA-abc",
  referrer: "https://www.google.com/",
  first_seen_at: "2026-03-01T15:04:05.000Z",
};

describe("attributionSchema", () => {
  it("accepts every known key and returns them unchanged", () => {
    expect(attributionSchema.parse(full)).toEqual(full);
  });

  it("accepts an empty object and any subset, without adding undefined keys", () => {
    expect(attributionSchema.parse({})).toEqual({});
    const parsed = attributionSchema.parse({ utm_source: "facebook" });
    expect(Object.keys(parsed)).toEqual(["utm_source"]);
  });

  it("matches the port's Attribution type", () => {
    expectTypeOf<z.infer<typeof attributionSchema>>().toEqualTypeOf<Attribution>();
    expectTypeOf<AttributionRecord["attribution"]>().toEqualTypeOf<Attribution>();
    expectTypeOf<WidgetAttribution>().toEqualTypeOf<Attribution>();
  });

  it("refuses unknown keys", () => {
    const result = attributionSchema.safeParse({ utm_source: "google", fbclid: "x" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
  });

  it("refuses non-objects and non-string values", () => {
    for (const bad of [null, "utm_source=google", [], { gclid: 123 }, { utm_source: null }]) {
      expect(attributionSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("bounds click ids and UTM values", () => {
    for (const key of [
      "gclid",
      "gbraid",
      "wbraid",
      "utm_source",
      "utm_medium",
      "utm_campaign",
      "utm_term",
      "utm_content",
    ]) {
      expect(attributionSchema.safeParse({ [key]: "x".repeat(MAX_ATTRIBUTION_VALUE_CHARS) }).success).toBe(
        true,
      );
      expect(
        attributionSchema.safeParse({ [key]: "x".repeat(MAX_ATTRIBUTION_VALUE_CHARS + 1) }).success,
        key,
      ).toBe(false);
    }
  });

  it("bounds URLs and allows only http(s)", () => {
    const base = "https://shop.example/?q=";
    for (const key of ["landing_page", "referrer"]) {
      const atMax = base + "x".repeat(MAX_ATTRIBUTION_URL_CHARS - base.length);
      expect(attributionSchema.safeParse({ [key]: atMax }).success).toBe(true);
      expect(attributionSchema.safeParse({ [key]: `${atMax}x` }).success, key).toBe(false);
      expect(attributionSchema.safeParse({ [key]: "http://localhost:8787/" }).success).toBe(true);
      for (const bad of [
        "javascript:alert(1)",
        "data:text/html,hi",
        "ftp://shop.example/",
        "shop.example",
        "",
      ]) {
        expect(attributionSchema.safeParse({ [key]: bad }).success, `${key}=${bad}`).toBe(false);
      }
    }
  });

  it("wants an ISO datetime for first_seen_at", () => {
    expect(attributionSchema.safeParse({ first_seen_at: "2026-03-01T15:04:05Z" }).success).toBe(true);
    expect(attributionSchema.safeParse({ first_seen_at: "2026-03-01T15:04:05-06:00" }).success).toBe(true);
    for (const bad of ["2026-03-01", "yesterday", "1709305445000", ""]) {
      expect(attributionSchema.safeParse({ first_seen_at: bad }).success, bad).toBe(false);
    }
  });
});

describe("attributionRows", () => {
  it("labels every known value in a fixed order", () => {
    expect(attributionRows(full)).toEqual([
      ["Google click ID (gclid)", full.gclid],
      ["Google app click ID (gbraid)", full.gbraid],
      ["Google web-to-app click ID (wbraid)", full.wbraid],
      ["UTM source", "google"],
      ["UTM medium", "cpc"],
      ["UTM campaign", "headliners-spring"],
      ["UTM term", "headliner repair austin"],
      ["UTM content", "ad-1"],
      ["Landing page", full.landing_page],
      ["Referrer", "https://www.google.com/"],
      ["First seen", "2026-03-01T15:04:05.000Z"],
    ]);
  });

  it("skips absent and blank values and gives nothing for an empty attribution", () => {
    expect(attributionRows({ utm_medium: "cpc", utm_source: "google", utm_term: "  " })).toEqual([
      ["UTM source", "google"],
      ["UTM medium", "cpc"],
    ]);
    expect(attributionRows({})).toEqual([]);
  });
});

describe("sanitizeAttribution", () => {
  const long = "x".repeat(MAX_ATTRIBUTION_VALUE_CHARS + 1);
  it.each<[string, unknown, Record<string, string>, string[]]>([
    ["everything valid", full, full, []],
    ["an empty object", {}, {}, []],
    [
      "a relative landing page next to a valid UTM source",
      { landing_page: "/seats", utm_source: "google" },
      { utm_source: "google" },
      ["landing_page"],
    ],
    [
      "an over-long UTM value",
      { utm_campaign: long, utm_medium: "cpc" },
      { utm_medium: "cpc" },
      ["utm_campaign"],
    ],
    ["an unknown key", { fbclid: "x", gclid: "g-1" }, { gclid: "g-1" }, ["fbclid"]],
    [
      "non-string values",
      { gclid: 123, utm_source: null, utm_term: ["a"], utm_content: { a: 1 }, utm_medium: "cpc" },
      { utm_medium: "cpc" },
      ["gclid", "utm_source", "utm_term", "utm_content"],
    ],
    [
      "unsafe or malformed URLs and dates",
      {
        referrer: "javascript:alert(1)",
        landing_page: "https://shop.example/",
        first_seen_at: "yesterday",
      },
      { landing_page: "https://shop.example/" },
      ["referrer", "first_seen_at"],
    ],
    [
      "an unknown key that does not look like a parameter name is not named",
      { "maria@example.com": "x", ["k".repeat(41)]: "y", utm_source: "fb" },
      { utm_source: "fb" },
      ["(unnamed)", "(unnamed)"],
    ],
    [
      "keys inherited from Object.prototype are unknown keys",
      JSON.parse('{"__proto__": "x", "constructor": "y", "toString": "z"}'),
      {},
      ["__proto__", "constructor", "toString"],
    ],
    ["null", null, {}, ["*"]],
    ["a string", "utm_source=google", {}, ["*"]],
    ["an array", [{ utm_source: "google" }], {}, ["*"]],
    ["a number", 42, {}, ["*"]],
  ])("%s", (_name, input, attribution, dropped) => {
    const result = sanitizeAttribution(input);
    expect(result.attribution).toEqual(attribution);
    expect(result.dropped).toEqual(dropped);
    // What is kept is always a valid attribution, and no prototype was touched.
    expect(attributionSchema.safeParse(result.attribution).success).toBe(true);
    expect(Object.getPrototypeOf(result.attribution)).toBe(Object.prototype);
  });

  it("keeps valid values unchanged and in the schema's key order, like attributionSchema.parse", () => {
    const reversed = Object.fromEntries(Object.entries(full).reverse());
    const { attribution } = sanitizeAttribution({ ...reversed, bogus: "x" });
    expect(Object.entries(attribution)).toEqual(Object.entries(attributionSchema.parse(reversed)));
    expectTypeOf(attribution).toEqualTypeOf<Attribution>();
  });

  it("names at most MAX_DROPPED_KEYS_NAMED keys and counts the rest", () => {
    const junk = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`junk_${i}`, "x"]));
    const { attribution, dropped } = sanitizeAttribution({ ...junk, utm_source: "google" });
    expect(attribution).toEqual({ utm_source: "google" });
    expect(dropped).toHaveLength(MAX_DROPPED_KEYS_NAMED + 1);
    expect(dropped.slice(0, 2)).toEqual(["junk_0", "junk_1"]);
    expect(dropped.at(-1)).toBe(`(+${50 - MAX_DROPPED_KEYS_NAMED} more)`);
  });

  it("never names a value", () => {
    const secret = "maria.lopez@example.com 512-555-0142";
    const { dropped } = sanitizeAttribution({
      utm_term: secret,
      gclid: { nested: secret },
      [secret]: secret,
    });
    expect(JSON.stringify(dropped)).not.toContain("maria");
    expect(JSON.stringify(dropped)).not.toContain("555");
  });
});
