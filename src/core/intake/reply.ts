import type { CountryCode } from "libphonenumber-js";
import type { BusinessProfile } from "../business-profile.js";
import type { Transcript, TranscriptTurn } from "../chat/transcript.js";
import { findPhones, malformedPhone } from "../extract/contact.js";
import { itemTypeMentions } from "../extract/item-type.js";
import { requestedServices } from "../extract/service-category.js";
import type { LeadSummary } from "../lead-summary.js";
import { ITEM_WORDS, type Lang, SERVICE_WORDS } from "../vocabulary.js";
import { type AskCounts, type AskTopic, askCounts, askedIn, refusedTopics } from "./asked.js";
import { answersTo } from "./faq.js";
import { intentsOf } from "./intents.js";
import { conversationLanguage } from "./language.js";
import { type Attempt, type ContactLine, PHRASES, type Phrases } from "./phrases.js";

/**
 * The local intake assistant's reply. Its state is what the transcript holds: the facts of the
 * rule-based LeadSummary, the questions it already asked (its own words, recognized), the
 * customer's language, refusals. Each turn it answers what the customer asked first (from the
 * business profile only, never a price, date or turnaround the profile does not state), then asks
 * the most useful missing fact: never the same words twice, never a third time, never again after
 * a refusal. "The assistant has what it needs" is exactly "the lead is handoff_ready".
 */
export interface IntakeReplyInput {
  /** The conversation so far, ending with the customer's new message. */
  transcript: Transcript;
  profile: BusinessProfile;
  /** summarizeTranscript() of the same transcript. */
  summary: LeadSummary;
  /** Region for phone numbers written without a country code. @default "US" */
  defaultRegion?: CountryCode;
}

const CORRECTION =
  /\b(?:actually|i meant|i mean|correction|instead|scratch that|my bad|wrong|typo|not the|en realidad|quise decir|mejor dicho)\b/i;
/** Items with a make and model worth asking for, besides the vehicle kinds. */
const MAKE_MODEL_ITEM = /\b(?:golf cart|cart|atv|utv|side[- ]by[- ]side|jet ?ski|trailer|tractor|scooter)\b/i;
const VEHICLE_KINDS = new Set(["truck", "suv", "van", "motorcycle", "boat", "rv"]);

/** "your 2012 Honda Civic", "your golf cart": the customer's own word for odd items reads better. */
function subjectOf(summary: LeadSummary, customerTexts: readonly string[], lang: Lang): string | null {
  const v = summary.vehicle;
  if (v?.make) return [v.year, v.make, v.model].filter((w) => w !== null).join(" ");
  const item = summary.item_type;
  if (!item) return null;
  if (item === "furniture" || item === "other") {
    for (const text of customerTexts) {
      const mention = itemTypeMentions(text).find(
        (m) => m.type === item && !/^(?:furniture|muebles?)$/i.test(m.text),
      );
      if (mention) return mention.text.toLowerCase();
    }
  }
  return ITEM_WORDS[item].spoken[lang];
}

function contactLine(summary: LeadSummary): ContactLine | null {
  const phone = summary.phone && formatPhone(summary.phone);
  if (summary.email && (summary.preferred_contact === "email" || !phone)) {
    return { how: "email", value: summary.email };
  }
  if (!phone) return null;
  const how =
    summary.preferred_contact === "text" || summary.preferred_contact === "call"
      ? summary.preferred_contact
      : "reach";
  return { how, value: phone };
}

/** "+15125550123" -> "(512) 555-0123", the way US customers write it; other numbers stay E.164. */
function formatPhone(e164: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : e164;
}

const imageCount = (turn: TranscriptTurn) =>
  turn.attachments.filter((a) => a.type === "image" || a.mime_type.toLowerCase().startsWith("image/")).length;

const CONFIRMED = /\b(?:So that's|Entonces es)\b/;
const SPAM_SAID = /\bthis chat is just for|este chat es solo para\b/;

/** What the conversation state says about asking: what is known, what was asked, what was declined. */
interface AskState {
  summary: LeadSummary;
  subject: string | null;
  asked: AskCounts;
  /** What the customer declined to give (a withdrawal declines everything). */
  declined: ReadonlySet<AskTopic>;
  firstName: string | null;
  owner: string;
}

const attempt = (count: number): Attempt => (count === 0 ? 0 : 1);

/** The most useful question still worth asking, or null: each at most twice, photos and name once. */
function nextQuestion(state: AskState, p: Phrases): string | null {
  const { summary, subject, asked } = state;
  const missing = new Set(summary.missing);
  const vehicleKind = summary.item_type !== null && VEHICLE_KINDS.has(summary.item_type);
  const makeModelWorth =
    !summary.vehicle?.make && (vehicleKind || (subject && MAKE_MODEL_ITEM.test(subject)));
  const candidates: Array<[AskTopic, boolean, number, (a: Attempt) => string]> = [
    [
      "job",
      missing.has("service") && !subject,
      Math.max(asked.job, asked.vehicle),
      (a) => p.jobAndSubject(a),
    ],
    ["job", missing.has("service") && !!subject, asked.job, (a) => p.job(subject ?? "", a)],
    ["vehicle", missing.has("vehicle"), asked.vehicle, (a) => p.vehicle(a)],
    ["make_model", !!makeModelWorth && !!subject, asked.make_model, (a) => p.makeModel(subject ?? "", a)],
    [
      "make_model",
      !!summary.vehicle?.make && !summary.vehicle.model && vehicleKind,
      // The model is nice to have: asked once.
      asked.make_model * 2,
      () => p.model(subject ?? ""),
    ],
    [
      "year",
      !!summary.vehicle?.make && summary.vehicle.year === null && summary.item_type !== "furniture",
      // The year is nice to have: asked once.
      asked.year * 2,
      (a) => p.year(subject ?? "", a),
    ],
    ["photos", summary.photo_count === 0, asked.photos * 2, (a) => p.photos(a)],
    ["name", missing.has("name"), asked.name * 2, (a) => p.name(state.owner, a)],
    ["contact", missing.has("contact"), asked.contact, (a) => p.contact(state.firstName, a)],
  ];
  const found = candidates.find(
    ([topic, wanted, count]) => wanted && count < 2 && !state.declined.has(topic),
  );
  return found ? found[3](attempt(found[2])) : null;
}

const EVERY_TOPIC: readonly AskTopic[] = [
  "job",
  "vehicle",
  "make_model",
  "year",
  "photos",
  "name",
  "contact",
];

/** What the customer declined so far, each refusal read against the question right before it. */
function declinedTopics(turns: readonly TranscriptTurn[]): Set<AskTopic> {
  const declined = new Set<AskTopic>();
  let asked: AskTopic | null = null;
  for (const turn of turns) {
    if (turn.role === "assistant") {
      asked = askedIn(turn.text);
      continue;
    }
    const intents = intentsOf(turn.text);
    if (intents.includes("withdrawal")) for (const topic of EVERY_TOPIC) declined.add(topic);
    else if (intents.includes("refusal"))
      for (const topic of refusedTopics(turn.text, asked)) declined.add(topic);
  }
  return declined;
}

/** The next reply of the local intake assistant (1-4 short sentences, plain text). */
export function intakeReply(input: IntakeReplyInput): string {
  const { transcript, profile, summary } = input;
  const region = input.defaultRegion ?? "US";
  const turns = transcript.turns;
  const lastIndex = turns.findLastIndex((t) => t.role === "customer");
  const last = turns[lastIndex];
  if (!last) return profile.greeting ?? `${PHRASES.en.greet(profile)} What can we help you with today?`;

  const lang = conversationLanguage(turns);
  const p = PHRASES[lang];
  const said = turns
    .slice(0, lastIndex)
    .filter((t) => t.role === "assistant")
    .map((t) => t.text);
  const customerTexts = turns.filter((t) => t.role === "customer" && t.text).map((t) => t.text);

  // A sales pitch, a vendor or a job seeker gets one polite no, then a goodbye; never the intake.
  if (summary.missing.includes("spam")) {
    return said.some((text) => SPAM_SAID.test(text)) ? p.spamAgain : p.spam;
  }

  const parts: string[] = [];
  if (said.length === 0) parts.push(p.greet(profile));
  const photos = imageCount(last);
  if (photos > 0) parts.push(p.photoThanks(photos));
  const intents = intentsOf(last.text);
  parts.push(...answersTo(intents, last.text, profile, p, region));
  const answered = parts.length > (said.length === 0 ? 1 : 0) + (photos > 0 ? 1 : 0);

  // A number the shop could not call is questioned, never thanked.
  const badPhone =
    last.text && findPhones(last.text, region).length === 0 && malformedPhone(last.text, region);
  if (badPhone) return [...parts, p.badPhone(badPhone)].join(" ");

  const contact = contactLine(summary);
  const declined = declinedTopics(turns.slice(0, lastIndex + 1));
  const refusedNow = intents.includes("refusal") ? refusedTopics(last.text, askedIn(said.at(-1))) : [];
  if (!contact && (intents.includes("withdrawal") || refusedNow.includes("contact"))) {
    return [...parts, p.backOff(profile)].join(" ");
  }

  const firstName = summary.customer_name?.split(/\s+/)[0] ?? null;
  const subject = subjectOf(summary, customerTexts, lang);
  const asked = askCounts(said);

  if (!summary.handoff_ready || !summary.service_category || !subject || !contact) {
    if (CORRECTION.test(last.text) && !answered) parts.push(p.correction);
    const question = nextQuestion(
      { summary, subject, asked, declined, firstName, owner: profile.owner_first_name },
      p,
    );
    if (question) parts.push(question);
    else if (!answered) parts.push(declined.size > 0 ? p.passAlong(profile) : p.nothingMore(profile));
    return parts.join(" ");
  }

  // Ready: confirm and close now (the lead may go out any moment), then invite what is still useful.
  const invite =
    summary.photo_count === 0 && asked.photos === 0 && !declined.has("photos")
      ? p.invitePhotos
      : summary.missing.includes("name") && asked.name === 0 && !declined.has("name")
        ? p.inviteName(profile.owner_first_name)
        : null;
  // Every job asked for is confirmed, so a second one said later is heard (the first stays first).
  const primary = summary.service_category;
  const others = requestedServices(customerTexts, summary.item_type).filter((c) => c !== primary);
  const service = p.andList([primary, ...others].map((c) => SERVICE_WORDS[c].confirmed[lang]));
  const confirmation = p.confirm(service, subject, contact, null);
  const previous = said.filter((text) => CONFIRMED.test(text)).at(-1);
  if (previous?.includes(confirmation)) {
    // Already confirmed and nothing changed: no need to repeat the whole thing.
    if (!answered) {
      parts.push(intents.includes("thanks") ? p.welcome(profile) : p.passAlong(profile));
    } else if (
      !intents.includes("appointment") &&
      !intents.includes("callback") &&
      !intents.includes("automated")
    ) {
      parts.push(p.close(profile));
    }
    return [...parts, ...(invite ? [invite] : [])].join(" ");
  }
  if (previous) parts.push(p.updated);
  // "Thanks, Maria!" once is warm; twice in a row (or next to another thanks) reads like a script.
  const thanked = photos > 0 || previous || invite || (firstName && said.at(-1)?.includes(firstName));
  parts.push(p.confirm(service, subject, contact, thanked ? null : firstName));
  parts.push(p.close(profile));
  if (invite) parts.push(invite);
  return parts.join(" ");
}
