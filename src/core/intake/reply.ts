import type { BusinessProfile } from "../business-profile.js";
import type { Transcript, TranscriptTurn } from "../chat/transcript.js";
import { itemTypeMentions } from "../extract/item-type.js";
import { looksLikeSalesPitch } from "../extract/request-details.js";
import { foldText } from "../extract/text-match.js";
import type { LeadSummary } from "../lead-summary.js";
import { ITEM_WORDS, type Lang, SERVICE_WORDS } from "../vocabulary.js";
import { faqAnswers } from "./faq.js";
import { type ContactLine, languageOf, PHRASES } from "./phrases.js";

/**
 * The local intake assistant's reply: deterministic slot filling driven by the rule-based
 * LeadSummary, so "the assistant has what it needs" is exactly "the lead is handoff_ready". It asks
 * one thing at a time (job and vehicle or item, photos, name, phone or email), never asks for a fact
 * the summary already has, answers FAQs only from the business profile and never names a price.
 */
export interface IntakeReplyInput {
  /** The conversation so far, ending with the customer's new message. */
  transcript: Transcript;
  profile: BusinessProfile;
  /** summarizeTranscript() of the same transcript. */
  summary: LeadSummary;
}

const THANKS = /^(?:ok(?:ay)?|cool|great|perfect|sounds good|awesome|thanks?|thank you|thx|ty|gracias|bye)\b/;
const CORRECTION =
  /\b(?:actually|i meant|i mean|correction|instead|scratch that|my bad|wrong|typo|not the|en realidad|quise decir|mejor dicho)\b/;

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

// What our own earlier questions look like, so each is asked once.
const ASKED_PHOTOS = /\b(?:a photo or two|una o dos fotos)\b/i;
const ASKED_NAME = /\b(?:your name|name should|su nombre)\b/i;
const CONFIRMED = /\b(?:So that's|Entonces es)\b/;
const SPAM_SAID = /\bthis chat is just for|este chat es solo para\b/;

/** The next reply of the local intake assistant (1-3 short sentences, plain text). */
export function intakeReply(input: IntakeReplyInput): string {
  const { transcript, profile, summary } = input;
  const turns = transcript.turns;
  const lastIndex = turns.findLastIndex((t) => t.role === "customer");
  const last = turns[lastIndex];
  if (!last) return profile.greeting ?? `${PHRASES.en.greet(profile)} What can we help you with today?`;

  const lang = languageOf(turns);
  const p = PHRASES[lang];
  const said = turns
    .slice(0, lastIndex)
    .filter((t) => t.role === "assistant")
    .map((t) => t.text);
  const customerTexts = turns.filter((t) => t.role === "customer" && t.text).map((t) => t.text);
  const folded = foldText(last.text);

  // A sales pitch gets one polite no, then a goodbye; never the intake questions.
  if (summary.service_category === null && looksLikeSalesPitch(customerTexts)) {
    return said.some((text) => SPAM_SAID.test(text)) ? p.spamAgain : p.spam;
  }

  const parts: string[] = [];
  if (said.length === 0) parts.push(p.greet(profile));
  const photos = imageCount(last);
  if (photos > 0) parts.push(p.photoThanks(photos));
  const faq = faqAnswers(folded, profile, p);
  parts.push(...faq);
  const corrected = CORRECTION.test(folded);

  const firstName = summary.customer_name?.split(/\s+/)[0] ?? null;
  const subject = subjectOf(summary, customerTexts, lang);
  const missing = new Set(summary.missing);
  const askedPhotos = said.some((text) => ASKED_PHOTOS.test(text));
  const askedName = said.some((text) => ASKED_NAME.test(text));

  const contact = contactLine(summary);
  if (!summary.handoff_ready || !summary.service_category || !subject || !contact) {
    if (corrected && faq.length === 0) parts.push(p.correction);
    // One question, in the order a person would ask; photos and name are asked once, never pushed.
    if (missing.has("service") && (missing.has("vehicle") || !subject)) parts.push(p.askJobAndSubject);
    else if (missing.has("service") && subject) parts.push(p.askJob(subject));
    else if (missing.has("vehicle")) parts.push(p.askVehicle(summary.item_type));
    else if (summary.photo_count === 0 && !askedPhotos) parts.push(p.askPhotos);
    else if (missing.has("name") && !askedName) parts.push(p.askName);
    else parts.push(p.askContact(firstName));
    return parts.join(" ");
  }

  // Ready: confirm and close now (the lead may go out any moment), then invite what is still useful.
  const invite =
    summary.photo_count === 0 && !askedPhotos
      ? p.invitePhotos
      : missing.has("name") && !askedName
        ? p.inviteName
        : null;

  const confirmation = p.confirm(
    SERVICE_WORDS[summary.service_category].confirmed[lang],
    subject,
    contact,
    null,
  );
  const previous = said.filter((text) => CONFIRMED.test(text)).at(-1);
  if (previous?.includes(confirmation)) {
    // Already confirmed and nothing changed: no need to repeat the whole thing.
    if (parts.length === 0) parts.push(THANKS.test(folded) ? p.welcome(profile) : p.passAlong(profile));
    else parts.push(p.close(profile));
    return [...parts, ...(invite ? [invite] : [])].join(" ");
  }
  if (previous) parts.push(p.updated);
  // "Thanks, Maria!" once is warm; twice in a row (or next to another thanks) reads like a script.
  const thanked = photos > 0 || previous || invite || (firstName && said.at(-1)?.includes(firstName));
  parts.push(
    p.confirm(
      SERVICE_WORDS[summary.service_category].confirmed[lang],
      subject,
      contact,
      thanked ? null : firstName,
    ),
  );
  parts.push(p.close(profile));
  if (invite) parts.push(invite);
  return parts.join(" ");
}
