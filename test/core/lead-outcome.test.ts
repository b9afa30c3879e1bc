import { describe, expect, it } from "vitest";
import { LEAD_OUTCOMES, OUTCOME_LABELS, outcomeInputSchema } from "../../src/core/lead-outcome.js";

const parse = (input: Record<string, unknown>) => outcomeInputSchema.safeParse(input);
const issues = (input: Record<string, unknown>) => {
  const result = parse(input);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((i) => ({ path: i.path.join("."), message: i.message }));
};

describe("outcomeInputSchema", () => {
  it.each([
    ["$1,250.5", "1250.50"],
    ["650", "650.00"],
    ["650.5", "650.50"],
    ["650.05", "650.05"],
    ["007.5", "7.50"],
    ["0", "0.00"],
    ["000.00", "0.00"],
    [" 1 250 ", "1250.00"],
    ["$999,999,999.99", "999999999.99"],
  ])("won with value %j keeps it as %j", (value, kept) => {
    expect(outcomeInputSchema.parse({ outcome: "won", value, currency: "USD" })).toEqual({
      outcome: "won",
      value: kept,
      currency: "USD",
    });
  });

  it.each([
    ["usd", "USD"],
    [" eur ", "EUR"],
    ["GbP", "GBP"],
  ])("upper-cases the currency %j", (currency, code) => {
    expect(outcomeInputSchema.parse({ outcome: "won", value: "10", currency }).currency).toBe(code);
  });

  it("won requires a value", () => {
    expect(issues({ outcome: "won", currency: "USD" })).toEqual([
      { path: "value", message: "Enter the job's value (like 650) to mark it won." },
    ]);
  });

  it.each([
    "1.234", // three decimals
    "-5",
    "$-5",
    "-$5",
    "abc",
    "",
    "1e3",
    ".5",
    "12.",
    "1234567890", // more than 9 whole digits
    "65O", // letter O
  ])("refuses the value %j", (value) => {
    expect(issues({ outcome: "won", value, currency: "USD" }).map((i) => i.path)).toEqual(["value"]);
  });

  it.each(["US", "USDX", "U5D", "$$$"])("refuses the currency %j", (currency) => {
    expect(issues({ outcome: "won", value: "10", currency }).map((i) => i.path)).toEqual(["currency"]);
  });

  it.each(["", "   ", undefined])("takes a blank currency %j as none (ADS_CURRENCY applies)", (currency) => {
    expect(outcomeInputSchema.parse({ outcome: "won", value: "10", currency })).toEqual({
      outcome: "won",
      value: "10.00",
      currency: null,
    });
  });

  it.each(["booked", "lost", "no_answer", "spam"] as const)(
    "%s drops a value and currency given with it",
    (outcome) => {
      expect(outcomeInputSchema.parse({ outcome, value: "650", currency: "usd" })).toEqual({
        outcome,
        value: null,
        currency: null,
      });
      expect(outcomeInputSchema.parse({ outcome })).toEqual({ outcome, value: null, currency: null });
      // A value left in the field from an earlier choice never blocks another outcome.
      expect(outcomeInputSchema.parse({ outcome, value: "abc", currency: "x" })).toEqual({
        outcome,
        value: null,
        currency: null,
      });
    },
  );

  it.each([{ outcome: "maybe" }, { outcome: "WON", value: "10" }, {}, { outcome: null }])(
    "refuses the outcome in %j",
    (input) => {
      expect(issues(input).map((i) => i.path)).toContain("outcome");
    },
  );

  it("labels every outcome", () => {
    expect(Object.keys(OUTCOME_LABELS).sort()).toEqual([...LEAD_OUTCOMES].sort());
    expect(OUTCOME_LABELS.no_answer).toBe("No answer");
  });
});
