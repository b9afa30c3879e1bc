import { z } from "zod";

/** What the owner says became of a lead (the console's outcome buttons). */
export const LEAD_OUTCOMES = ["booked", "won", "lost", "no_answer", "spam"] as const;
export type LeadOutcome = (typeof LEAD_OUTCOMES)[number];

/** How the console and the digest word each outcome. */
export const OUTCOME_LABELS: Readonly<Record<LeadOutcome, string>> = {
  booked: "Booked",
  won: "Won",
  lost: "Lost",
  no_answer: "No answer",
  spam: "Spam",
};

const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;

/**
 * An outcome as the owner submits it: `won` needs the job's value (up to 2 decimals, no float
 * arithmetic anywhere: it is kept as the decimal string "650.00") and may name an ISO 4217
 * currency (else null: `ADS_CURRENCY` applies). Other outcomes carry neither: whatever the value
 * and currency fields hold is ignored for them. Messages are worded for the owner's form.
 */
export const outcomeInputSchema = z
  .object({
    outcome: z.enum(LEAD_OUTCOMES, "Choose an outcome."),
    value: z.string().optional(),
    currency: z.string().optional(),
  })
  .transform((input, ctx) => {
    if (input.outcome !== "won") return { outcome: input.outcome, value: null, currency: null };
    const amount = (input.value ?? "").replace(/[,\s]/g, "").replace(/^\$/, "");
    if (!amount) {
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: "Enter the job's value (like 650) to mark it won.",
      });
      return z.NEVER;
    }
    if (!AMOUNT.test(amount)) {
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: "The value must be an amount like 650 or 650.00.",
      });
      return z.NEVER;
    }
    const currency = input.currency?.trim().toUpperCase() || null;
    if (currency !== null && !/^[A-Z]{3}$/.test(currency)) {
      ctx.addIssue({
        code: "custom",
        path: ["currency"],
        message: "The currency must be a 3-letter code like USD.",
      });
      return z.NEVER;
    }
    return { outcome: input.outcome, value: fixedTwo(amount), currency };
  });

export type OutcomeInput = z.output<typeof outcomeInputSchema>;

/** "650" -> "650.00", "650.5" -> "650.50" (string work: amounts never go through a float). */
function fixedTwo(amount: string): string {
  const [whole = "0", cents = ""] = amount.split(".");
  return `${whole.replace(/^0+(?=\d)/, "")}.${cents.padEnd(2, "0")}`;
}
