import { describe, expect, it } from "vitest";
import { matchesSearch, type Searchable } from "../../../src/core/console/search.js";

const maria: Searchable = {
  customerName: "Maria José Gonzalez",
  phone: "+15125550199",
  email: "MJG2024@Example.com",
};
const unit42: Searchable = { customerName: "Unit 42 Garage", phone: "+13035550100", email: null };
const anon: Searchable = { customerName: null, phone: "+14255550142", email: null };
const noPhone: Searchable = { customerName: "Ann Lee", phone: null, email: "ann@example.org" };

describe("console search", () => {
  it.each([
    // Name words, any order and case, each a substring.
    [maria, "maria", true],
    [maria, "GONZALEZ maria", true],
    [maria, "  josé   gonz  ", true],
    [maria, "maria smith", false],
    // Email, case-insensitive; words may be split between name and email.
    [maria, "mjg2024@example.com", true],
    [maria, "example.COM", true],
    [maria, "maria example", true],
    [noPhone, "ann@example.org", true],
    [noPhone, "bob", false],
    // Null fields are empty, not the word "null".
    [anon, "null", false],
    [anon, "maria", false],
  ])("%j ~ %j -> %s", (row, query, expected) => {
    expect(matchesSearch(row, query)).toBe(expected);
  });

  it.each([
    "(512) 555-0199",
    "512.555.0199",
    "+1 512 555 0199",
    "+15125550199",
    "512-555",
    "5550199",
    "  512 555 0199  ",
    "(512)",
  ])("finds the phone +15125550199 written as %j", (query) => {
    expect(matchesSearch(maria, query)).toBe(true);
  });

  it.each(["(512) 555-0198", "513", "5125550199 1"])("does not match the phone for %j", (query) => {
    expect(matchesSearch(maria, query)).toBe(false);
  });

  it("a digit query never matches a row without a phone", () => {
    expect(matchesSearch(noPhone, "555")).toBe(false);
  });

  it("a digit query looks only at the phone, not at digits in the email", () => {
    // "2024" is in Maria's email but not in her phone.
    expect(matchesSearch(maria, "2024")).toBe(false);
    // With letters it is text again.
    expect(matchesSearch(maria, "mjg2024")).toBe(true);
  });

  it("treats fewer than 3 digits as text", () => {
    // "42" is in the name of one row and only in the phone of the other.
    expect(matchesSearch(unit42, "42")).toBe(true);
    expect(matchesSearch(anon, "42")).toBe(false);
    expect(matchesSearch(anon, "(4)")).toBe(false);
    // From 3 digits on it is the phone.
    expect(matchesSearch(anon, "142")).toBe(true);
    expect(matchesSearch(unit42, "142")).toBe(false);
  });

  it.each(["", "   ", "\t"])("an empty query %j matches every row", (query) => {
    for (const row of [maria, unit42, anon, noPhone]) expect(matchesSearch(row, query)).toBe(true);
  });
});
