import { type CountryCode, findPhoneNumbersInText } from "libphonenumber-js";
import type { Transcript } from "../chat/transcript.js";
import type { PREFERRED_CONTACTS } from "../lead-summary.js";
import { rememberByText, rememberByTextAnd } from "../memo.js";
import { foldText, isNegatedAt } from "./text-match.js";

/** How the customer would like to be reached. */
export type PreferredContact = (typeof PREFERRED_CONTACTS)[number];

/** The contact details the customer stated, normalized. */
export interface ExtractedContact {
  /** E.164, e.g. `+15125550123`; only numbers libphonenumber considers valid. */
  phone: string | null;
  /** Lowercased, obfuscations resolved (`maria at example dot com` -> `maria@example.com`). */
  email: string | null;
}

/**
 * The shop's own phone numbers and email addresses (E.164 and lowercased). A customer who writes
 * "I tried calling you at (512) 555-0142" has not given their number: these are never the customer's.
 */
export interface ShopContact {
  phones: ReadonlySet<string>;
  emails: ReadonlySet<string>;
}

/** Options for contact extraction. */
export interface ExtractContactOptions {
  /** Region for numbers written without a country code, e.g. `US`. */
  defaultRegion: CountryCode;
  /** The shop's own phone and email: never the customer's, whoever writes them. */
  shop?: ShopContact;
}

/** A value the customer takes back right away: "737-555-0142, not 737-555-0141". */
const RETRACTED_BEFORE =
  /\b(?:not|no|wrong|old|isn'?t|instead of|rather than|ignore|scratch)\s+(?:the\s+|my\s+|that\s+)?(?:number\s+|one\s+|email\s+|address\s+)?[:-]?\s*$/;

function isRetracted(folded: string, index: number): boolean {
  return RETRACTED_BEFORE.test(folded.slice(Math.max(0, index - 32), index));
}

/** A phone number found in text, with where it was written. */
interface PhoneHit {
  /** E.164. */
  number: string;
  start: number;
  end: number;
}

/** Seven digits in a row (separators allowed) or it is not a number the shop can call; skips the costly parser. */
const PHONE_SHAPE = /\d(?:[\s()./-]{0,3}\d){6}/;

/**
 * The phone parser is the slowest step of a summary and every message is parsed twice (contact,
 * then quoting without contacts), so recent results are remembered. Same input, same output.
 */
const PHONE_CACHE = new Map<string, readonly PhoneHit[]>();
const PHONE_CACHE_SIZE = 256;
/**
 * The parser slows down sharply on long digit-heavy text (20k characters of digits take ~0.2 s),
 * so only the start of a message is searched. A chat message is a few hundred characters; a number
 * past this point is in a pasted wall of text, not a reply.
 */
const PHONE_SCAN_LIMIT = 3000;

function phoneHits(text: string, region: CountryCode): readonly PhoneHit[] {
  if (!PHONE_SHAPE.test(text)) return [];
  const cacheKey = `${region}:${text}`;
  const cached = PHONE_CACHE.get(cacheKey);
  if (cached) return cached;
  const scanned = text.length > PHONE_SCAN_LIMIT ? text.slice(0, PHONE_SCAN_LIMIT) : text;
  const hits = findPhoneNumbersInText(scanned, { defaultCountry: region }).map((found) => ({
    number: found.number.isValid() ? found.number.number : "",
    start: found.startsAt,
    end: found.endsAt,
  }));
  if (PHONE_CACHE.size >= PHONE_CACHE_SIZE) PHONE_CACHE.delete(PHONE_CACHE.keys().next().value as string);
  PHONE_CACHE.set(cacheKey, hits);
  return hits;
}

/**
 * Valid phone numbers in `text`, in order of appearance, as E.164. "Possible" is not enough:
 * `555-555-1234` has the right length but area code 555 does not exist, so it is dropped. A number
 * taken back in the same breath ("..., not 512-555-0199") is dropped too.
 */
export const findPhones: (text: string, region: CountryCode) => string[] = rememberByTextAnd(
  phonesIn,
  (region) => region,
);

function phonesIn(text: string, region: CountryCode): string[] {
  const folded = foldText(text);
  return phoneHits(text, region)
    .filter((hit) => hit.number && !isRetracted(folded, hit.start))
    .map((hit) => hit.number);
}

const LABEL = "[a-z0-9](?:[a-z0-9_%+-]*[a-z0-9])?";
const DOT = "(?:\\s*[[(]\\s*dot\\s*[\\])]\\s*|\\s+dot\\s+|\\.)";
const AT = "(?:\\s*[[(]\\s*at\\s*[\\])]\\s*|\\s+at\\s+|\\s*@\\s*)";
/** Plain and lightly obfuscated addresses ("[at]", "(at)", " at ", " dot "), on folded text. */
const EMAIL = new RegExp(
  `(?<![\\w.%+@'-])(${LABEL}(?:${DOT}${LABEL})*)(${AT})(${LABEL}(?:${DOT}${LABEL})*)${DOT}([a-z]{2,24})\\b`,
  "g",
);
const DOT_ANY = new RegExp(DOT, "g");
/** " at " between plain words is ordinary English, so that form needs a familiar ending. */
const COMMON_TLDS = new Set(
  "com net org edu gov mil us io co me info biz mx ca uk de es fr it nl au app dev ai tv ly cc".split(" "),
);
/** Words that precede " at " in normal sentences ("text me at ...", "drop it off at ..."). */
const NOT_A_MAILBOX = new Set(
  "me us you i im it is be here there that this them him her one look off up back out down in on home work shop store email mail address reach text call".split(
    " ",
  ),
);

/** Every address needs one of these; most messages have none, so the full pattern is skipped. */
const MAY_HAVE_EMAIL = /@|\sat\s|[[(]\s*at\s*[\])]/;

function emailMatches(folded: string): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  if (!MAY_HAVE_EMAIL.test(folded)) return matches;
  EMAIL.lastIndex = 0;
  for (let match = EMAIL.exec(folded); match; match = EMAIL.exec(folded)) {
    matches.push(match);
    // "me at rachel.moss@gmail.com": the " at " reading may be rejected later, so the real address
    // starting where its domain began must still be found.
    const [, local = "", at = ""] = match;
    if (/^\s+at\s+$/.test(at)) EMAIL.lastIndex = match.index + local.length + at.length;
  }
  return matches;
}

/**
 * `text` with every phone number and email address cut out, for quoting the customer's words
 * about the job without repeating their contact details (or a number they took back).
 */
export const redactContacts: (text: string, region: CountryCode) => string = rememberByTextAnd(
  contactsOut,
  (region) => region,
);

function contactsOut(text: string, region: CountryCode): string {
  const cuts = [
    ...phoneHits(text, region),
    ...emailMatches(foldText(text)).map((m) => ({ start: m.index, end: m.index + m[0].length })),
  ].sort((a, b) => b.start - a.start);
  let out = text;
  let lowest = Number.POSITIVE_INFINITY;
  for (const cut of cuts) {
    // Overlapping readings of one address are cut once, as their union.
    const end = Math.min(cut.end, lowest);
    if (end > cut.start) out = out.slice(0, cut.start) + out.slice(end);
    lowest = Math.min(lowest, cut.start);
  }
  return out;
}

/** Email addresses in `text`, in order of appearance, lowercased with obfuscations resolved. */
export const findEmails: (text: string) => string[] = rememberByText(emailsIn);

function emailsIn(text: string): string[] {
  const folded = foldText(text);
  const found: string[] = [];
  for (const match of emailMatches(folded)) {
    if (isRetracted(folded, match.index)) continue;
    const [, local = "", at = "", domain = "", tld = ""] = match;
    const spacedAt = /^\s+at\s+$/.test(at);
    const spelledOut = spacedAt || /\sdot\s/.test(match[0]);
    if (spelledOut && !COMMON_TLDS.has(tld)) continue;
    const firstLabel = local.split(/\W/)[0] ?? "";
    if (spacedAt && NOT_A_MAILBOX.has(firstLabel) && !/\sdot\s|\./.test(local)) continue;
    const join = (part: string) => part.replace(DOT_ANY, ".");
    found.push(`${join(local)}@${join(domain)}.${tld}`);
  }
  return found;
}

/** Someone else's number mentioned in passing: "my brother in law Mike (512-555-0190) said ...". */
const THIRD_PARTY =
  /\b(?:(?:my|our|a|his|her|the) (?:brother|sister|friend|buddy|cousin|uncle|aunt|neighbou?r|co-?worker|boss|dad|mom|father|mother|son|daughter|wife|husband|girlfriend|boyfriend|partner|mechanic|dealer|dealership|insurance|agent|adjuster|body shop|other shop)s?(?: in law)?|adjuster|claim|referred|recommended)\b/;
/** Words that make a number the one to use, whoever answers it ("call my wife at ..."). */
const USE_THIS_NUMBER = /\b(?:call|text|reach|contact|ring|my number|my cell|my phone|use)\b|\bme\b/;
const PHONE_TAKEN_BACK =
  /\b(?:(?:don'?t|do not|dont) (?:want|need) (?:any )?(?:calls|phone calls|to be called)|no (?:phone )?calls(?: please)?|(?:don'?t|do not|dont) (?:call|use (?:that|my|the) number)|(?:scratch|forget|ignore) (?:that|the|my) (?:number|phone)|no me llamen)\b/;
const SENTENCE_AROUND = /(?:[^.!?\n]|[.](?=\S))+/g;

function someoneElsesPhone(text: string, e164: string, region: CountryCode): boolean {
  const folded = foldText(text);
  for (const sentence of folded.matchAll(SENTENCE_AROUND)) {
    if (!sentence[0] || !findPhones(sentence[0], region).includes(e164)) continue;
    return THIRD_PARTY.test(sentence[0]) && !USE_THIS_NUMBER.test(sentence[0]);
  }
  return false;
}

/**
 * The contact the customer stated last, read from customer turns only. A number or address the
 * assistant said first (the shop's own) never counts, even when the customer repeats it ("I tried
 * 512-555-0100 but nobody picked up"); one the customer said first may be echoed back freely. The
 * shop's own contact from the business profile never counts at all.
 */
export function extractContact(transcript: Transcript, options: ExtractContactOptions): ExtractedContact {
  const shopSaid = new Set<string>([...(options.shop?.phones ?? []), ...(options.shop?.emails ?? [])]);
  const customerSaid = new Set<string>();
  let phone: string | null = null;
  let email: string | null = null;
  for (const turn of transcript.turns) {
    if (!turn.text) continue;
    const phones = findPhones(turn.text, options.defaultRegion);
    const emails = findEmails(turn.text);
    if (turn.role === "assistant") {
      for (const value of [...phones, ...emails]) if (!customerSaid.has(value)) shopSaid.add(value);
      continue;
    }
    // "scratch that, don't want calls, just email": the number given before is taken back.
    if (phones.length === 0 && PHONE_TAKEN_BACK.test(foldText(turn.text))) phone = null;
    for (const value of phones) {
      if (shopSaid.has(value) || someoneElsesPhone(turn.text, value, options.defaultRegion)) continue;
      customerSaid.add(value);
      phone = value;
    }
    for (const value of emails) {
      if (shopSaid.has(value)) continue;
      customerSaid.add(value);
      email = value;
    }
  }
  return { phone, email };
}

const CHANNELS: ReadonlyArray<readonly [PreferredContact, RegExp]> = [
  [
    "text",
    /\b(?:texts?|texting|txt|sms|whatsapp|imessage|mensajes?|mensajito|textea(?:me)?|mandame un (?:mensaje|texto))\b/g,
  ],
  [
    "call",
    /(?:^|[.!,;]\s*)call\b(?! or\b)|\b(?:call(?:ing)? me|call my (?:wife|husband|cell|mobile|partner|son|daughter)|call (?:any ?time|anytime|after|before|between|in the)|call or|or call|give me a (?:call|ring)|phone call|call (?:is|works|would)|calls? (?:are|is) (?:fine|best|better|ok)|prefer (?:a )?calls?|by phone|over the phone|llam(?:ame|enme|arme|ada|en)|marcame)\b/g,
  ],
  [
    "email",
    /\b(?:e-?mail(?:ing)? (?:me|works|please|only|(?:is|would be) (?:best|better|easier|easiest|preferred|fine|good|great))|(?:just|only) (?:by )?e-?mail|(?:by|via|through|over|prefer|prefers|preferably) (?:an? )?e-?mail|send (?:it|them|that|me|everything|the (?:quote|estimate|price))(?: \w+)? (?:to|by|via) (?:my )?e-?mail|(?:por|al) correo)\b/g,
  ],
];
const QUESTION_ABOUT_SHOP = /(?:^|[.!?]\s*)(?:will|would|does|do|is|are|who|when|how)\b[^.!?]*\?/g;
/** An explicit preference settles a message that mentions more than one channel. */
const PREFERENCE_CUE = /\b(?:prefer(?:s|ably|red)?|rather|best|better|easiest|only|mejor|prefiero)\b/g;

/** The channels a message asks for, with the index of each mention (negated mentions dropped). */
function channelMentions(folded: string): Array<{ channel: PreferredContact; index: number }> {
  const mentions: Array<{ channel: PreferredContact; index: number }> = [];
  for (const [channel, pattern] of CHANNELS) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(folded); match; match = pattern.exec(folded)) {
      if (!isNegatedAt(folded, match.index)) mentions.push({ channel, index: match.index });
    }
  }
  return mentions.sort((a, b) => a.index - b.index);
}

/**
 * The contact channel the customer asked for ("text me", "email is best", "llámame"), from
 * customer texts in order; the latest message that settles on one channel wins. A message naming
 * two channels ("call or text") only counts when it says which it prefers.
 */
export function preferredContact(texts: readonly string[]): PreferredContact | null {
  let preferred: PreferredContact | null = null;
  for (const text of texts) preferred = channelChosenIn(text) ?? preferred;
  return preferred;
}

/** The channel one message settles on, or null when it settles on none. */
const channelChosenIn = rememberByText((text: string): PreferredContact | null => {
  // "Will a real person call me?" asks about the shop; it is not a preference.
  const folded = foldText(text).replace(QUESTION_ABOUT_SHOP, " ");
  const mentions = channelMentions(folded);
  const channels = new Set(mentions.map((m) => m.channel));
  if (channels.size === 1) return mentions[0]?.channel ?? null;
  if (channels.size === 0) return null;
  PREFERENCE_CUE.lastIndex = 0;
  const cue = PREFERENCE_CUE.exec(folded);
  if (!cue) return null;
  // "call or text, text is best" / "prefer text": the mention nearest the cue is the choice.
  const nearest = mentions.reduce((best, m) =>
    Math.abs(m.index - cue.index) < Math.abs(best.index - cue.index) ? m : best,
  );
  return nearest.channel;
});

/** Digit runs written like a phone number: 7 to 15 digits with the usual separators. */
const PHONE_LIKE = /(?<![\w.$,])\+?\(?\d[\d\s().-]{4,}\d(?![\w,])/g;
const YEAR_RANGE = /^\s*(?:19|20)\d\d\s*-\s*(?:19|20)\d\d\s*$/;

/**
 * Why the number the customer typed is not one the shop can call, or null when every phone-like
 * run in `text` is valid (or there is none): "short" / "long" for a digit missing or extra on a
 * North American number, "invalid" otherwise ("555-555-1234"). The assistant asks them to check it.
 */
export function malformedPhone(text: string, region: CountryCode): "short" | "long" | "invalid" | null {
  for (const match of text.matchAll(PHONE_LIKE)) {
    const raw = match[0];
    const digits = raw.replace(/\D/g, "");
    if (digits.length < 7 || digits.length > 15 || YEAR_RANGE.test(raw)) continue;
    if (findPhones(raw, region).length > 0) continue;
    if (region !== "US" && region !== "CA") return "invalid";
    const national = digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
    return national.length < 10 ? "short" : national.length > 10 ? "long" : "invalid";
  }
  return null;
}
