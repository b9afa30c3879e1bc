import { z } from "zod";

export const ITEM_TYPES = [
  "car",
  "truck",
  "suv",
  "van",
  "motorcycle",
  "boat",
  "rv",
  "furniture",
  "other",
] as const;
export const SERVICE_CATEGORIES = [
  "seat_repair",
  "seat_reupholstery",
  "headliner",
  "convertible_top",
  "carpet",
  "door_panels",
  "dashboard",
  "steering_wheel",
  "full_interior",
  "cushions_covers",
  "motorcycle_seat",
  "furniture",
  "other",
] as const;
export const PREFERRED_CONTACTS = ["call", "text", "email"] as const;

export type ItemType = (typeof ITEM_TYPES)[number];
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

/** The LeadSummary every summarizer returns (the README describes each field). */
export const leadSummarySchema = z.object({
  handoff_ready: z.boolean(),
  customer_name: z.string().nullable(),
  phone: z.string().nullable().describe("E.164, e.g. +15125550123"),
  email: z.string().nullable().describe("lowercased"),
  preferred_contact: z.enum(PREFERRED_CONTACTS).nullable(),
  contact_time: z
    .string()
    .nullable()
    .describe('when the customer wants to be reached, in their words, e.g. "after 5pm"'),
  item_type: z.enum(ITEM_TYPES).nullable(),
  vehicle: z
    .object({
      year: z.number().int().nullable(),
      make: z.string().nullable(),
      model: z.string().nullable(),
    })
    .nullable(),
  service_category: z.enum(SERVICE_CATEGORIES).nullable(),
  service_details: z.string().nullable(),
  timeline: z.string().nullable(),
  budget: z.string().nullable(),
  location: z.string().nullable(),
  photo_count: z.number().int().min(0),
  missing: z.array(z.string()),
  summary: z.string().describe("2-3 sentences for the shop owner"),
});

export type LeadSummary = z.infer<typeof leadSummarySchema>;

/** The fields the handoff rule looks at. */
export type HandoffFacts = Pick<
  LeadSummary,
  "phone" | "email" | "service_category" | "item_type" | "vehicle"
>;

/**
 * The handoff_ready rule, exactly: a valid phone or email stated by the customer AND a known
 * service category AND (a vehicle make or a non-car item type).
 */
export function isHandoffReady(facts: HandoffFacts): boolean {
  const hasContact = Boolean(facts.phone || facts.email);
  const hasService = facts.service_category !== null;
  const hasSubject = Boolean(facts.vehicle?.make) || (facts.item_type !== null && facts.item_type !== "car");
  return hasContact && hasService && hasSubject;
}

/** What the owner would still have to ask for, in the order a person would ask. */
export function missingFields(facts: HandoffFacts & Pick<LeadSummary, "customer_name">): string[] {
  const missing: string[] = [];
  if (facts.service_category === null) missing.push("service");
  if (!facts.vehicle?.make && (facts.item_type === null || facts.item_type === "car"))
    missing.push("vehicle");
  if (!facts.customer_name) missing.push("name");
  if (!facts.phone && !facts.email) missing.push("contact");
  return missing;
}
