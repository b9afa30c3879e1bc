import type { ItemType, LeadSummary } from "../lead-summary.js";
import { ITEM_WORDS, SERVICE_WORDS } from "../vocabulary.js";
import { itemTypeMentions } from "./item-type.js";
import { asClause, foldText } from "./text-match.js";

const PREFERENCE_LABELS = { call: "a call", text: "text", email: "email" } as const;

function withArticle(phrase: string): string {
  return /^(?:[aeiou]|rv\b|suv\b|mg\b|fj\b)/i.test(phrase) ? `an ${phrase}` : `a ${phrase}`;
}

/** The customer's own word for a couch or golf cart ("sofa", "golf cart") reads better than "item". */
function itemWord(texts: readonly string[], type: ItemType): string | null {
  for (const text of texts) {
    const mention = itemTypeMentions(text).find(
      (m) => m.type === type && !/^(?:furniture|muebles?)$/i.test(m.text),
    );
    if (mention) return asClause(foldText(mention.text), 40);
  }
  return null;
}

function subjectOf(facts: Omit<LeadSummary, "summary">, texts: readonly string[]): string | null {
  const { vehicle, item_type } = facts;
  if (vehicle && (vehicle.make || vehicle.year)) {
    const words = [vehicle.year, vehicle.make, vehicle.model].filter((w) => w !== null).map(String);
    // "1987 Chevrolet truck" says more than "1987 Chevrolet"; with a model the model says it.
    if (!vehicle.model) words.push(item_type ? ITEM_WORDS[item_type].noun : "vehicle");
    return withArticle(asClause(words.join(" ")));
  }
  if (item_type === "furniture" || item_type === "other") {
    const word = itemWord(texts, item_type);
    // "chairs" and "couches" take no article.
    if (word) return /[^s]s$/.test(word) ? word : withArticle(word);
  }
  return item_type ? withArticle(ITEM_WORDS[item_type].noun) : null;
}

const HOURS_TOPIC = /\b(?:hours|open|close[sd]?|closing|saturdays?|sundays?|horario|abren|cierran)\b/;
const PRICE_TOPIC = /\b(?:how much|price|prices|pricing|cost|costs|quote|estimate|charge|cuanto|precio)\b/;

function topicOf(texts: readonly string[]): string {
  const all = foldText(texts.join(" "));
  if (PRICE_TOPIC.test(all)) return "asked about pricing";
  if (HOURS_TOPIC.test(all)) return "asked about shop hours";
  return texts.length > 0 ? "chatted" : "opened the chat";
}

/** Everything said about the request, as the first sentence. */
function requestSentence(
  facts: Omit<LeadSummary, "summary">,
  texts: readonly string[],
  pitch: boolean,
): string {
  const who = facts.customer_name ? asClause(facts.customer_name, 60) : "A visitor";
  if (pitch) {
    return `${who} sent what looks like a sales pitch to the shop (marketing, SEO or similar), not a request for upholstery work.`;
  }
  const subject = subjectOf(facts, texts);
  if (facts.service_category) {
    const label = SERVICE_WORDS[facts.service_category].wanted;
    const target = subject ? ` for ${subject}` : " (vehicle or item not given)";
    const details = facts.service_details ? `, in their words: "${asClause(facts.service_details)}"` : "";
    return `${who} wants ${label}${target}${details}.`;
  }
  if (subject) return `${who} asked about ${subject} but did not say what work is needed.`;
  return `${who} ${topicOf(texts)} and did not describe a job.`;
}

function contactSentence(facts: Omit<LeadSummary, "summary">): string {
  const ways = [facts.phone, facts.email].filter((v): v is string => Boolean(v));
  if (ways.length === 0) return "They left no phone number or email, so there is no way to follow up yet.";
  const preference = facts.preferred_contact
    ? ` (prefers ${PREFERENCE_LABELS[facts.preferred_contact]})`
    : "";
  return `Reach them at ${ways.join(" or ")}${preference}.`;
}

function extrasSentence(facts: Omit<LeadSummary, "summary">): string | null {
  const parts: string[] = [];
  if (facts.timeline) parts.push(`timeline: ${asClause(facts.timeline, 60)}`);
  if (facts.budget) parts.push(`budget: ${asClause(facts.budget, 40)}`);
  if (facts.location) parts.push(`location: ${asClause(facts.location, 60)}`);
  if (facts.photo_count > 0)
    parts.push(`${facts.photo_count} photo${facts.photo_count === 1 ? "" : "s"} attached`);
  const stillMissing = facts.missing.filter((item) => item !== "spam");
  if (!facts.handoff_ready && stillMissing.length > 0)
    parts.push(`still missing: ${stillMissing.join(", ")}`);
  if (parts.length === 0) return null;
  const text = parts.join("; ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * The 2-3 sentence summary for the owner: the request, how to reach the customer, then timeline,
 * budget, photos and what is still missing. Only extracted facts appear (nothing is invented), and
 * customer words are flattened so they can never add sentences or lines of their own.
 */
export function composeSummary(
  facts: Omit<LeadSummary, "summary">,
  context: { pitch: boolean; texts: readonly string[] },
): string {
  return [requestSentence(facts, context.texts, context.pitch), contactSentence(facts), extrasSentence(facts)]
    .filter((s): s is string => s !== null)
    .join(" ");
}
