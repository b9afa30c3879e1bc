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

/**
 * An outcome as the owner submits it: `won` needs the job's value (up to 2 decimals, no float
 * arithmetic anywhere: it is kept as the decimal string "650.00") and an ISO 4217 currency;
 * other outcomes carry neither.
 */
export const outcomeInputSchema = z
  .object({
    outcome: z.enum(LEAD_OUTCOMES),
    value: z
      .string()
      .trim()
      .transform((v) => v.replace(/[,\s]/g, "").replace(/^\$/, ""))
      .pipe(z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, "must be an amount like 650 or 650.00"))
      .optional(),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, "must be a 3-letter currency code like USD")
      .optional(),
  })
  .superRefine((input, ctx) => {
    if (input.outcome === "won" && input.value === undefined)
      ctx.addIssue({ code: "custom", path: ["value"], message: "is required for a won job" });
  })
  .transform((input) => ({
    outcome: input.outcome,
    value: input.outcome === "won" && input.value !== undefined ? fixedTwo(input.value) : null,
    currency: input.outcome === "won" ? (input.currency ?? null) : null,
  }));

export type OutcomeInput = z.output<typeof outcomeInputSchema>;

/** "650" -> "650.00", "650.5" -> "650.50" (string work: amounts never go through a float). */
function fixedTwo(amount: string): string {
  const [whole = "0", cents = ""] = amount.split(".");
  return `${whole.replace(/^0+(?=\d)/, "")}.${cents.padEnd(2, "0")}`;
}
