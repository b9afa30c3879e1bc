import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "../../../src/core/ads-export/csv.js";

describe("CSV writing (RFC 4180)", () => {
  it.each([
    ["plain", "plain"],
    ["", ""],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\rlf", '"cr\rlf"'],
    ["  spaces kept  ", "  spaces kept  "],
  ])("writes %j as %j", (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  it.each([
    ["=1+2", "'=1+2"],
    ["+1 512 555 0187", "'+1 512 555 0187"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
  ])("defuses a formula: %j", (value, defused) => {
    expect(csvField(value)).toBe(defused);
  });

  it("defuses first, then quotes a formula with a comma or quotes in it", () => {
    expect(csvField("=1,2")).toBe(`"'=1,2"`);
    expect(csvField('=HYPERLINK("http://evil.example")')).toBe(`"'=HYPERLINK(""http://evil.example"")"`);
  });

  it("leaves a formula character inside a value alone", () => {
    expect(csvField("Website chat lead - won")).toBe("Website chat lead - won");
  });

  it("ends every record, the last one too, with CRLF", () => {
    expect(
      toCsv([
        ["a", "b"],
        ["c,d", ""],
      ]),
    ).toBe('a,b\r\n"c,d",\r\n');
    expect(toCsv([])).toBe("");
  });
});
