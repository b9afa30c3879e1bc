import { z } from "zod";
import { ITEM_TYPES, PREFERRED_CONTACTS, SERVICE_CATEGORIES } from "../src/core/lead-summary.js";

/** The classes of the intake issue a conversation exercises. */
export const CONVERSATION_CLASSES = [
  "contact",
  "names",
  "context",
  "listening",
  "language",
  "spam",
  "happy",
] as const;

/** Topics a reply can be checked to answer (detectors in eval/detectors.ts). */
export const REPLY_TOPICS = [
  "hours",
  "address",
  "area",
  "price",
  "services_offered",
  "service_not_offered",
  "automated",
  "callback",
  "turnaround",
  "no_appointment",
  "next_steps",
  "shop_phone",
] as const;

/** Facts the assistant may ask for (classified by eval/detectors.ts). */
export const ASK_KINDS = [
  "job",
  "vehicle",
  "year",
  "make_model",
  "photos",
  "name",
  "contact",
  "timeline",
] as const;

export type ConversationClass = (typeof CONVERSATION_CLASSES)[number];
export type ReplyTopic = (typeof REPLY_TOPICS)[number];
export type AskKind = (typeof ASK_KINDS)[number];

const text = z.string().trim().min(1);
/** One string, or any of several (case-insensitive). */
const anyOf = z.union([text, z.array(text).min(1)]);

const turnSchema = z
  .strictObject({
    /** What the customer types; may be empty only when the turn carries photos. */
    customer: z.string(),
    /** That many image attachments are sent with the turn. */
    photos: z.number().int().min(1).max(10).optional(),
    /** The turn is meant as the answer to a question about this fact (reported, never failed). */
    after: z.enum(ASK_KINDS).optional(),
    /** From this turn on the customer has declined to give these facts: asking again is counted. */
    refuses: z.array(z.enum(ASK_KINDS)).min(1).optional(),
    /** Checks on the assistant's reply to this turn. */
    expect: z
      .strictObject({
        answers: z.array(z.enum(REPLY_TOPICS)).min(1).optional(),
        /** The reply must ask for these facts (e.g. a malformed number is questioned, not thanked). */
        asks: z.array(z.enum(ASK_KINDS)).min(1).optional(),
        no_ask: z.array(z.enum(ASK_KINDS)).min(1).optional(),
        says_no_appointment: z.literal(true).optional(),
      })
      .optional(),
  })
  .refine((turn) => turn.customer.trim().length > 0 || (turn.photos ?? 0) > 0, {
    message: "a turn needs customer text or photos",
  });

const vehicleSchema = z.strictObject({
  year: z.number().int().min(1900).max(2100).nullable().optional(),
  make: anyOf.nullable().optional(),
  model: anyOf.nullable().optional(),
});

/** What the summary must say after the last turn; a field left out is not checked. */
const expectedSchema = z
  .strictObject({
    handoff_ready: z.boolean(),
    /** true: `missing` contains "spam" and handoff_ready is false. */
    spam: z.boolean().optional(),
    customer_name: anyOf.nullable().optional(),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, "phone must be E.164")
      .nullable()
      .optional(),
    email: z
      .string()
      .regex(/^[^\sA-Z@]+@[^\sA-Z@]+\.[a-z]{2,}$/, "email must be lowercased")
      .nullable()
      .optional(),
    preferred_contact: z.enum(PREFERRED_CONTACTS).nullable().optional(),
    item_type: z.enum(ITEM_TYPES).nullable().optional(),
    service_category: z
      .union([z.enum(SERVICE_CATEGORIES), z.array(z.enum(SERVICE_CATEGORIES)).min(1)])
      .nullable()
      .optional(),
    vehicle: vehicleSchema.nullable().optional(),
    photo_count: z.number().int().min(0).optional(),
    /** null: no timeline; otherwise the timeline includes any of these. */
    timeline_includes: anyOf.nullable().optional(),
    /** null: no budget; otherwise the budget includes any of these. */
    budget: anyOf.nullable().optional(),
    /** Every entry must be found in service_details (an entry that is an array: any of it). */
    service_details_includes: z.array(anyOf).min(1).optional(),
    /** Every entry must be found in the summary text (an entry that is an array: any of it). */
    summary_includes: z.array(anyOf).min(1).optional(),
    /** null: no location; otherwise the location includes any of these (never the shop's address). */
    location_includes: anyOf.nullable().optional(),
    /** null: no contact time; otherwise contact_time includes any of these. */
    contact_time_includes: anyOf.nullable().optional(),
  })
  .refine((e) => !e.spam || !e.handoff_ready, { message: "spam cannot be handoff_ready" });

/** One scripted conversation of the evaluation set. */
export const conversationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "id must be kebab-case"),
  description: text,
  class: z.array(z.enum(CONVERSATION_CLASSES)).min(1),
  language: z.enum(["en", "es"]),
  turns: z.array(turnSchema).min(1).max(30),
  expected: expectedSchema,
});

export type Conversation = z.infer<typeof conversationSchema>;
export type ConversationTurn = Conversation["turns"][number];
export type ExpectedSummary = Conversation["expected"];
export type AnyOf = z.infer<typeof anyOf>;
