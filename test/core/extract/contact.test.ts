import { describe, expect, it } from "vitest";
import { buildTranscript } from "../../../src/core/chat/transcript.js";
import {
  extractContact,
  findEmails,
  findPhones,
  preferredContact,
  redactContacts,
} from "../../../src/core/extract/contact.js";
import { shopContactOf } from "../../../src/core/extract/shop-contact.js";

const US = { defaultRegion: "US" } as const;
const chat = (...pairs: Array<[role: "user" | "assistant", text: string]>) =>
  buildTranscript(pairs.map(([role, text]) => ({ role, text })));

describe("findPhones", () => {
  it.each([
    ["call me at 512-555-0123", "+15125550123"],
    ["(512) 555 0199 thanks", "+15125550199"],
    ["my # is 512.555.0123", "+15125550123"],
    ["5125550123", "+15125550123"],
    ["1-512-555-0123", "+15125550123"],
    ["+44 20 7946 0958", "+442079460958"],
  ])("finds %s as E.164", (text, e164) => {
    expect(findPhones(text, "US")).toEqual([e164]);
  });

  it("drops numbers that are possible but not valid (area code 555, 123)", () => {
    expect(findPhones("555-555-1234", "US")).toEqual([]);
    expect(findPhones("123-456-7890", "US")).toEqual([]);
  });

  it("reads national numbers in the given region", () => {
    expect(findPhones("ring me on 020 7946 0958", "GB")).toEqual(["+442079460958"]);
    expect(findPhones("ring me on 020 7946 0958", "US")).toEqual([]);
  });

  it("keeps every number in order and drops one taken back in the same breath", () => {
    expect(findPhones("text 737-555-0142 or 512-555-0123", "US")).toEqual(["+17375550142", "+15125550123"]);
    expect(findPhones("it's 737-555-0142 not 737-555-0141", "US")).toEqual(["+17375550142"]);
  });
});

describe("findEmails", () => {
  it.each([
    ["Maria.Lopez@Gmail.com.", "maria.lopez@gmail.com"],
    ["maria at example dot com", "maria@example.com"],
    ["maria [at] example [dot] com", "maria@example.com"],
    ["maria(at)example.com", "maria@example.com"],
    ["maria AT example DOT com", "maria@example.com"],
    ["jose dot perez at yahoo dot com", "jose.perez@yahoo.com"],
    ["email me at maria at gmail dot com", "maria@gmail.com"],
    ["kim_o+cars@mail.example.co.uk", "kim_o+cars@mail.example.co.uk"],
  ])("reads %s", (text, email) => {
    expect(findEmails(text)).toEqual([email]);
  });

  it.each([
    "meet me at home dot com",
    "I'm at work.com",
    "text me at 512-555-0123",
    "I'll be at the shop at noon",
    "see you at lunch dot then",
  ])("finds nothing in %s", (text) => {
    expect(findEmails(text)).toEqual([]);
  });
});

describe("extractContact", () => {
  it("reads only customer turns: the shop's own number and email never count", () => {
    const transcript = chat(
      ["assistant", "Call us at 512-555-0100 or write to shop@example.com"],
      ["user", "my seat is torn"],
    );
    expect(extractContact(transcript, US)).toEqual({ phone: null, email: null });
  });

  it("ignores the shop's number even when the customer repeats it", () => {
    const transcript = chat(
      ["assistant", "You can reach the owner at 512-555-0100."],
      ["user", "I tried 512-555-0100 but no answer. my cell is 737-555-0142"],
      ["user", "ok I'll call 512-555-0100 again"],
    );
    expect(extractContact(transcript, US).phone).toBe("+17375550142");
  });

  it("never takes the shop's own phone or email from the business profile, in any format", () => {
    const shop = shopContactOf({ phone: "(512) 555-0142", email: "Shop@Craigs.example" }, "US");
    const transcript = chat(
      ["user", "I tried calling you guys at 512.555.0142 and emailed shop@craigs.example, no answer"],
      ["user", "the seat on my f150 is torn"],
    );
    expect(extractContact(transcript, { ...US, shop })).toEqual({ phone: null, email: null });
    // Without the profile the same words would have been read as the customer's.
    expect(extractContact(transcript, US).phone).toBe("+15125550142");
    const withCell = chat(
      ["user", "I tried calling you guys at 512.555.0142 and emailed shop@craigs.example, no answer"],
      ["user", "my cell is 737-555-0188"],
    );
    expect(extractContact(withCell, { ...US, shop }).phone).toBe("+17375550188");
  });

  it("keeps a customer number the assistant echoes back", () => {
    const transcript = chat(["user", "512-555-0123"], ["assistant", "Thanks, we'll text 512-555-0123."]);
    expect(extractContact(transcript, US).phone).toBe("+15125550123");
  });

  it("lets the last number and email the customer states win", () => {
    const transcript = chat(
      ["user", "2105550147, maria@old.example.com"],
      ["assistant", "Got it."],
      ["user", "sorry, my number is actually 210-555-0174 and email maria at new dot example dot com"],
    );
    expect(extractContact(transcript, US)).toEqual({ phone: "+12105550174", email: "maria@new.example.com" });
  });

  it("skips invalid numbers rather than falling back to them", () => {
    const transcript = chat(["user", "512-555-0123"], ["user", "oh wait use 555-555-1234"]);
    expect(extractContact(transcript, US).phone).toBe("+15125550123");
  });
});

describe("preferredContact", () => {
  it.each([
    [["text me please"], "text"],
    [["give me a call"], "call"],
    [["email is best"], "email"],
    [["dont call, text me"], "text"],
    [["call or text, text is best"], "text"],
    [["llámame por favor"], "call"],
    [["por whatsapp"], "text"],
    [["text me"], "text"],
    [["text me", "actually just call me"], "call"],
    [["call or text"], null],
    [["my email is a@b.com"], null],
    [["hi"], null],
  ] as const)("%j -> %s", (texts, expected) => {
    expect(preferredContact(texts)).toBe(expected);
  });
});

describe("long input", () => {
  it("searches only the start of a wall of text for numbers", () => {
    const filler = "x".repeat(3500);
    expect(findPhones(`512-555-0123 ${filler}`, "US")).toEqual(["+15125550123"]);
    expect(findPhones(`${filler} 512-555-0123`, "US")).toEqual([]);
  });
});

describe("redactContacts", () => {
  it("cuts phone numbers and emails (obfuscated too) out of the text", () => {
    expect(redactContacts("seat torn, 512-555-0123 or maria at example dot com", "US")).toBe(
      "seat torn,  or ",
    );
  });
});
