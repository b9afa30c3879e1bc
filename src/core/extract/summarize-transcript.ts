import type { CountryCode } from "libphonenumber-js";
import { countCustomerImages, type Transcript, type TranscriptTurn } from "../chat/transcript.js";
import { type ItemType, isHandoffReady, type LeadSummary, missingFields } from "../lead-summary.js";
import { rememberByText } from "../memo.js";
import { extractContact, preferredContact, redactContacts } from "./contact.js";
import { findContactTime } from "./contact-time.js";
import { detectItemType, itemTypeMentions } from "./item-type.js";
import {
  bareName,
  findBudget,
  findLocation,
  findName,
  findTimeline,
  looksLikeSalesPitch,
  nameFromAnswer,
  withoutInstructions,
} from "./request-details.js";
import { adjustForItem, CORRECTION_CUE, detectServiceCategory, mentionsService } from "./service-category.js";
import type { ShopContact } from "./shop-contact.js";
import { composeSummary } from "./summary-sentences.js";
import { asClause, foldText } from "./text-match.js";
import { parseVehicle, type VehicleKind } from "./vehicle.js";

/** Options for the rule-based summarizer. */
export interface SummarizeOptions {
  /** Region for phone numbers written without a country code. */
  defaultRegion: CountryCode;
  /** Newest model year accepted (also the two-digit pivot). @default next calendar year */
  maxYear?: number;
  /** The shop's own phone and email, never taken as the customer's. */
  shop?: ShopContact;
}

/** A customer message with the assistant message that came right before it (for bare answers). */
interface CustomerMessage {
  text: string;
  /** The same text without phone numbers and emails, for quoting and for bare-name answers. */
  redacted: string;
  asked: string;
  /** Some earlier assistant turn asked for the name. */
  nameAsked: boolean;
}

/**
 * After "could you send a photo?", a lone word is not an answer to it ("nope" and "later" are not
 * names): typed on its own there, a name-like word is the customer introducing themselves.
 */
const PHOTO_QUESTION = /\b(?:photos?|pictures?|pics?|fotos?)\b/i;

/** A reply that only says the answer comes next. */
const HOLD_ON =
  /^\s*(?:ok(?:ay)?|sure|yes|yeah|yep|yup|one sec(?:ond)?|hold on|hang on|si|claro|un momento)[\s.,!]*$/i;

function customerMessages(turns: readonly TranscriptTurn[], region: CountryCode): CustomerMessage[] {
  const messages: CustomerMessage[] = [];
  let asked = "";
  let nameAsked = false;
  for (const turn of turns) {
    if (turn.role === "assistant") {
      asked = turn.text;
      nameAsked ||= nameFromAnswer("Name", turn.text) !== null;
    } else if (turn.text) {
      // Sentences addressed to the system are dropped before any fact is read from them.
      const text = withoutInstructions(turn.text);
      messages.push({ text, redacted: redactContacts(text, region), asked, nameAsked });
      // Only the first reply answers the question ("sure" then "Ana Ruiz" counts as one); later
      // messages move on.
      if (!HOLD_ON.test(text)) asked = "";
    }
  }
  return messages;
}

/** The latest non-null value a reader finds in the customer's messages (corrections win). */
function latest<T>(messages: readonly CustomerMessage[], read: (m: CustomerMessage) => T | null): T | null {
  let value: T | null = null;
  for (const message of messages) value = read(message) ?? value;
  return value;
}

const YEAR_QUESTION = /\b(?:year|ano|modelo)\b/;
/** The assistant's question asked for the year (every turn reads every question again). */
const asksForYear = rememberByText((asked: string) => YEAR_QUESTION.test(foldText(asked)));

interface VehicleFacts {
  vehicle: LeadSummary["vehicle"];
  kind: VehicleKind | null;
  /** The kind came from a known model (an F-150 is a truck whatever the customer calls it). */
  kindFromModel: boolean;
}

/**
 * Folds vehicle mentions message by message: a year, make or model restated later replaces the
 * earlier one; a new make resets the model (a correction "it's a toyota, not a honda").
 */
function readVehicle(
  messages: readonly CustomerMessage[],
  kinds: ReadonlySet<ItemType>,
  maxYear?: number,
): VehicleFacts {
  let year: number | null = null;
  let make: string | null = null;
  let model: string | null = null;
  let kind: VehicleKind | null = null;
  let kindFromModel = false;
  for (const { text, asked } of messages) {
    const yearExpected = asksForYear(asked);
    const mention = parseVehicle(text, { yearExpected, kindContext: kinds, ...(maxYear ? { maxYear } : {}) });
    if (!mention) continue;
    if (mention.year !== null) year = mention.year;
    if (mention.make && (mention.make !== make || mention.model)) {
      model = mention.make !== make ? mention.model : (mention.model ?? model);
      make = mention.make;
      kind = mention.kind;
      kindFromModel = mention.kindFromModel;
    }
  }
  const vehicle = year === null && make === null ? null : { year, make, model };
  return { vehicle, kind, kindFromModel };
}

/** Item type: a known model's kind, else the customer's latest vehicle word, else the make's kind. */
function readItemType(texts: readonly string[], facts: VehicleFacts): ItemType | null {
  if (!facts.vehicle?.make) return detectItemType(texts);
  if (facts.kindFromModel && facts.kind) return facts.kind;
  let said: ItemType | null = null;
  for (const text of texts) {
    for (const { type } of itemTypeMentions(text)) {
      if (type !== "furniture" && type !== "other") said = type;
    }
  }
  return said ?? facts.kind;
}

/** Custom work the owner must hear about even without a part named ("embroider our logo"). */
const DETAIL_CUE =
  /\b(?:embroider\w*|monogram\w*|logos?|stitch(?:ing|ed)?|piping|diamond|tuck and roll|heated|heaters?|match(?:ing)? the (?:original|factory|color|fabric)|bordad\w*)\b/;
const SENTENCE_SPLIT = /(?<=[.!?])\s+|\n+/;

/** The customer's own words about the job: sentences naming a part, damage or the work. */
function serviceDetails(messages: readonly CustomerMessage[]): string | null {
  const picked: string[] = [];
  for (const { redacted } of messages) {
    for (const clean of detailSentences(redacted)) if (!picked.includes(clean)) picked.push(clean);
  }
  return picked.length > 0 ? asClause(picked.join("; "), 220) : null;
}

/** The sentences of one message that say something about the job, tidied, in order. */
const detailSentences = rememberByText((redacted: string): string[] => {
  const found: string[] = [];
  for (const sentence of redacted.split(SENTENCE_SPLIT)) {
    const clean = sentence
      .replace(/\s+/g, " ")
      .replace(/[\s,;:.!?]+$/, "")
      .trim();
    // A correction of the vehicle ("wrong car, it's my wife's camry") explains the facts too.
    const relevant =
      mentionsService(clean) ||
      DETAIL_CUE.test(foldText(clean)) ||
      (CORRECTION_CUE.test(foldText(clean)) && parseVehicle(clean)?.make);
    if (clean && relevant) found.push(clean);
  }
  return found;
});

/**
 * The rule-based LeadSummary: every fact comes from customer turns only (the assistant's words
 * are used only to read a bare answer like "2012" after "what year is it?"), the latest statement
 * of each fact wins, nothing in the text is ever followed as an instruction, and handoff_ready is
 * exactly `isHandoffReady` of the extracted facts.
 */
export function summarizeTranscript(transcript: Transcript, options: SummarizeOptions): LeadSummary {
  const messages = customerMessages(transcript.turns, options.defaultRegion);
  const texts = messages.map((m) => m.text);
  const contact = extractContact(transcript, options);
  const pitch = looksLikeSalesPitch(texts);
  const kinds = new Set(texts.flatMap((text) => itemTypeMentions(text).map((m) => m.type)));
  const vehicleFacts = readVehicle(messages, kinds, options.maxYear);
  // A sales pitch is not a job, whatever it says about "your upholstery customers".
  const vehicle = pitch && !vehicleFacts.vehicle?.make ? null : vehicleFacts.vehicle;
  const item_type = pitch && !vehicle ? null : readItemType(texts, { ...vehicleFacts, vehicle });
  const rawCategory = pitch && !vehicle ? null : detectServiceCategory(texts);
  const service_category = adjustForItem(rawCategory, item_type);
  const facts = {
    customer_name: latest(
      messages,
      (m) =>
        findName(m.text) ??
        nameFromAnswer(m.redacted, m.asked) ??
        bareName(m.redacted, {
          lowercase: m.nameAsked ? "any" : PHOTO_QUESTION.test(m.asked) ? "one word" : "none",
        }),
    ),
    phone: contact.phone,
    email: contact.email,
    service_category,
    item_type,
    vehicle,
  };
  const summary: Omit<LeadSummary, "summary"> = {
    ...facts,
    // Not a customer: never a lead, and the owner sees why.
    handoff_ready: !pitch && isHandoffReady(facts),
    preferred_contact: preferredContact(texts),
    contact_time: latest(messages, (m) => findContactTime(m.redacted)),
    service_details: service_category ? serviceDetails(messages) : null,
    // A pitch's prices and "results in 30 days" are theirs, not the customer's plans.
    timeline: pitch ? null : latest(messages, (m) => findTimeline(m.text)),
    budget: pitch ? null : latest(messages, (m) => findBudget(m.text)),
    location: pitch ? null : latest(messages, (m) => findLocation(m.text)),
    photo_count: countCustomerImages(transcript),
    missing: pitch ? ["spam"] : missingFields(facts),
  };
  return { ...summary, summary: composeSummary(summary, { pitch, texts }) };
}
