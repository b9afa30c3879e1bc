import { describe, expect, it } from "vitest";
import { rememberByText, rememberByTextAnd } from "../../src/core/memo.js";

describe("rememberByText (the readers of one message, remembered across turns)", () => {
  it("reads a text once and answers the same result after", () => {
    const read: string[] = [];
    const upper = rememberByText((text: string) => {
      read.push(text);
      return { text: text.toUpperCase() };
    });
    const first = upper("seat torn");
    expect(upper("seat torn")).toBe(first);
    expect(upper("headliner")).toEqual({ text: "HEADLINER" });
    expect(read).toEqual(["seat torn", "headliner"]);
  });

  it("keeps the other arguments apart by their variant key", () => {
    let reads = 0;
    const tagged = rememberByTextAnd(
      (text: string, region: string) => {
        reads++;
        return `${region}:${text}`;
      },
      (region: string) => region,
    );
    expect(tagged("555", "US")).toBe("US:555");
    expect(tagged("555", "MX")).toBe("MX:555");
    expect(tagged("555", "US")).toBe("US:555");
    expect(reads).toBe(2);
  });

  it("remembers null and undefined like any answer", () => {
    let reads = 0;
    const none = rememberByText((text: string) => {
      reads++;
      return text === "a" ? null : undefined;
    });
    for (const text of ["a", "b", "a", "b"]) none(text);
    expect(reads).toBe(2);
  });

  it("freezes what it hands out, so no caller can change another caller's answer", () => {
    const mentions = rememberByText((text: string) => [{ type: text, index: 0 }]);
    const found = mentions("boat");
    expect(Object.isFrozen(found)).toBe(true);
    expect(Object.isFrozen(found[0])).toBe(true);
    expect(() => (found as Array<{ type: string }>).push({ type: "car" })).toThrow(TypeError);
  });

  it("forgets old texts once many characters were read since, and reads them again", () => {
    let reads = 0;
    const length = rememberByText((text: string) => {
      reads++;
      return text.length;
    });
    length("first message");
    const long = "x".repeat(50_000);
    for (let n = 0; n < 8; n++) length(`${n}${long}`);
    const before = reads;
    expect(length("first message")).toBe(13);
    expect(reads).toBe(before + 1);
  });
});
