import { describe, expect, it } from "vitest";
import {
  hashedEmail,
  hashedPhone,
  normalizeEmail,
  normalizePhone,
  sha256Hex,
} from "../../../src/core/ads-export/identifiers.js";

describe("Google's normalization of email and phone", () => {
  it.each([
    // Trim, lowercase (Google Ads API "Normalization and hashing").
    ["  Maria@Example.COM ", "maria@example.com"],
    // Periods before gmail.com / googlemail.com go: Google's example jane.doe@gmail.com.
    ["jane.doe@gmail.com", "janedoe@gmail.com"],
    ["Jane.Doe@GoogleMail.com", "janedoe@googlemail.com"],
    // Only there: other domains (Workspace included) keep them, and the domain keeps its own.
    ["jane.doe@example.com", "jane.doe@example.com"],
    ["jane.doe@mail.gmail.com.example", "jane.doe@mail.gmail.com.example"],
    // Google lists no +tag rule: the tag stays, as the Google tag on the site keeps it.
    ["jane.doe+quotes@gmail.com", "janedoe+quotes@gmail.com"],
  ])("%j -> %j", (raw, normalized) => {
    expect(normalizeEmail(raw)).toBe(normalized);
  });

  it.each([
    "",
    "   ",
    "maria",
    "maria@",
    "@example.com",
    "ma ria@example.com",
    "maria@example",
    "...@gmail.com",
  ])("refuses %j", (raw) => {
    expect(normalizeEmail(raw)).toBeNull();
  });

  it.each([
    // E.164 as in the UserIdentifier reference: +16502531234.
    ["+1 650-253-1234", "+16502531234"],
    ["(650) 253-1234", "+16502531234"],
    ["650.253.1234 ", "+16502531234"],
    ["+44 20 7031 3000", "+442070313000"],
  ])("phone %j -> %j", (raw, e164) => {
    expect(normalizePhone(raw, "US")).toBe(e164);
  });

  it.each(["", "12345", "555-0000", "not a number"])("refuses phone %j", (raw) => {
    expect(normalizePhone(raw, "US")).toBeNull();
  });
});

describe("SHA-256, lowercase hex", () => {
  it("matches the FIPS 180-2 test vector", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  // The Google pages give examples of normalized values but no digests: these were computed with
  // coreutils (`printf %s 'janedoe@gmail.com' | sha256sum`), independently of node:crypto.
  it("hashes the normalized email of Google's example", () => {
    const digest = "d6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69";
    expect(hashedEmail(" Jane.Doe@Gmail.com ")).toBe(digest);
    expect(hashedEmail("janedoe@gmail.com")).toBe(digest);
  });

  it("hashes the E.164 phone of Google's example", () => {
    const digest = "e101d1333c2310c83a1f96c4e0c12aa18b151ee0baaa2db3998ee3797d74b685";
    expect(hashedPhone("+1 (650) 253-1234", "US")).toBe(digest);
    expect(hashedPhone("650-253-1234", "US")).toBe(digest);
  });

  it("hashes nothing when there is nothing valid", () => {
    expect(hashedEmail(undefined)).toBeNull();
    expect(hashedEmail("nope")).toBeNull();
    expect(hashedPhone(undefined, "US")).toBeNull();
    expect(hashedPhone("123", "US")).toBeNull();
  });
});
