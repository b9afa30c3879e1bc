import type { BusinessProfile } from "../src/core/business-profile.js";
import type { AskKind, ReplyTopic } from "./schema.js";

// Wording-independent detectors over the assistant's replies. Every rule is derived from the
// business profile or from plain-language cues; none of them knows the local assistant's phrases.
// They are deliberately strict where a lazy reply could pass: a reply that lists every service does
// not answer "do you do paint?", and a reply that names a price never answers a price question.

/** Lowercase, accents stripped, curly quotes straightened, whitespace collapsed. */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Sentences of a reply (on . ! ? and line breaks), trimmed, empty ones dropped. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const REQUEST_START =
  /^(?:please |por favor )?(?:send|attach|share|text|tell|let (?:me|us) know|give|drop|upload|envie|envienos|mande|mandenos|digame|comparta|adjunte|indique)\b/;

/**
 * The sentences of a reply that ask the customer for something: questions, and requests such as
 * "attach a photo here". Folded, without the trailing punctuation, so equal words compare equal.
 */
export function questionsOf(reply: string): string[] {
  const out: string[] = [];
  for (const sentence of sentencesOf(reply)) {
    const folded = fold(sentence).replace(/^¿/, "");
    const isAsk =
      folded.includes("?") ||
      REQUEST_START.test(folded) ||
      /\b(?:attach|adjunt\w*|send (?:us |me |over )?(?:a |some |any )?(?:photos?|pictures?|pics?))\b/.test(
        folded,
      );
    if (isAsk) out.push(folded.replace(/[\s?¿!.,;:]+$/, "").replace(/^[¿¡\s]+/, ""));
  }
  return out;
}

const ASK_PATTERNS: ReadonlyArray<readonly [AskKind, RegExp]> = [
  [
    "job",
    /\b(?:what needs (?:doing|done|fixing|work)|needs? (?:doing|done|fixing)|what (?:work|job|service|kind of work|can (?:we|i) (?:help|do)|do you need|are you looking)|help (?:you )?with|what(?:'s| is) (?:going on|wrong|the (?:issue|problem|damage|job))|which (?:seats?|part|parts)|what part|que trabajo|que necesita|que le (?:pasa|hace falta)|en que (?:le )?(?:podemos|puedo) ayudar|que servicio)\b/,
  ],
  [
    "vehicle",
    /\b(?:vehicles?|vehiculos?|items?|articulos?|what (?:are you|do you) driv\w*|what kind of (?:car|truck|boat|bike|motorcycle|cart|rv|camper|vehicle)|que (?:carro|coche|camioneta|troca))\b/,
  ],
  ["year", /\b(?:year|ano|what year|que ano)\b/],
  [
    "make_model",
    /\b(?:make|model|marca|modelo|brand|what kind of (?:car|truck|boat|bike|motorcycle|cart|rv))\b/,
  ],
  ["photos", /\b(?:photos?|pictures?|pics?|fotos?|imagen(?:es)?|fotografias?)\b/],
  [
    "name",
    /\b(?:your name|name should|(?:what|who) should (?:we|he|i|craig) (?:call|ask for)|ask for\b|(?:su|tu) nombre|como se llama|como te llamas|a nombre de|your first name|full name)\b/,
  ],
  [
    "contact",
    /\b(?:phone|number|e-?mail|reach you|contact you|get in touch|best way to (?:reach|contact)|telefono|correo|numero|contactarl[eo]|comunicarnos con usted|whatsapp|cell)\b/,
  ],
  [
    "timeline",
    /\b(?:timeline|time ?frame|when do you need|need it (?:done|by|back)|by when|deadline|how soon|any rush|in a hurry|para cuando|cuando lo necesita|fecha limite)\b/,
  ],
];

/** The facts one question sentence asks for (a sentence may ask for several). */
export function askKindsOf(question: string): AskKind[] {
  const folded = fold(question);
  return ASK_PATTERNS.filter(([, pattern]) => pattern.test(folded)).map(([kind]) => kind);
}

/**
 * Every fact a reply asks for. A question that names no fact but points back ("Could you check
 * it?") asks about what the sentence before it named ("That number looks a digit short.").
 */
export function asksIn(reply: string): Set<AskKind> {
  const kinds = new Set<AskKind>();
  const sentences = sentencesOf(reply);
  const questions = new Set(questionsOf(reply));
  sentences.forEach((sentence, index) => {
    const folded = fold(sentence)
      .replace(/[\s?¿!.,;:]+$/, "")
      .replace(/^[¿¡\s]+/, "");
    if (!questions.has(folded)) return;
    let found = askKindsOf(folded);
    if (found.length === 0 && index > 0 && /\b(?:it|that|this|them|those|lo|la|eso|esto)\b/.test(folded)) {
      found = askKindsOf(sentences[index - 1] ?? "");
    }
    for (const kind of found) kinds.add(kind);
  });
  return kinds;
}

const ES_WORDS = new Set(
  (
    "el la los las de del que y en un una unos unas por para con su sus es esta estan usted ustedes le les lo " +
    "se que como cual gracias hola nuestro nuestra nuestros puede podria si muy al tambien pero mas tiene " +
    "tenemos hay cuando donde horario fotos foto nombre telefono correo trabajo asiento necesita ayudar " +
    "claro hacemos trabajamos cita llamara comunicara dia habil favor aqui ya entonces"
  ).split(" "),
);
const EN_WORDS = new Set(
  (
    "the and you your to of is are we what for with it that this can will be on in an our do does have has " +
    "thanks thank please or if he she me my how when there here would could get know just yes need needs " +
    "photo photos name number phone email reach out business day work job seat sure great got"
  ).split(" "),
);

/**
 * The language of a reply by stopword count, or null when it cannot tell. The shop's name, address,
 * hours and service lines are removed first: quoting the profile is not switching language.
 */
export function languageOf(reply: string, profile?: BusinessProfile): "en" | "es" | null {
  let text = fold(reply);
  if (profile) {
    const quoted = [profile.name, profile.address, ...profile.hours, ...profile.services];
    if (profile.service_area) quoted.push(profile.service_area);
    for (const line of quoted) text = text.split(fold(line)).join(" ");
  }
  let es = 0;
  let en = 0;
  for (const word of text.match(/[a-z]+/g) ?? []) {
    if (ES_WORDS.has(word)) es += 1;
    if (EN_WORDS.has(word)) en += 1;
  }
  if (es === en) return null;
  return es > en ? "es" : "en";
}

// --- Promises the profile does not make -------------------------------------------------------

const PRICE_FIGURE = /\$\s?\d|\b\d[\d,.]*\s*(?:dollars|bucks|usd|pesos|dolares)\b/;
const BOOKED =
  /\b(?:you'?re (?:all )?(?:set|booked|scheduled) (?:for|on)|(?:i'?ve|we'?ve|i have|we have) (?:booked|scheduled|reserved)|booked (?:you|it) (?:in|for)|your appointment (?:is|has been) (?:set|confirmed|booked|scheduled)|see you (?:on |this |next )?(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b|see you (?:then|there|tomorrow)|(?:te|lo|la|los) esperamos|su cita (?:esta|queda) (?:confirmada|agendada|programada|reservada))/;
const DURATION =
  /\b(?:\d+|one|two|three|four|five|six|a few|a couple(?: of)?|same|un|una|dos|tres|unos|unas|pocos|pocas)\s*(?:-\s*\d+\s*)?(?:hours?|days?|weeks?|business days?|dias?|semanas?|horas?)\b/;
const TURNAROUND_WORD =
  /\b(?:takes?|taking|took|ready|done|finished|turnaround|complete[ds]?|tarda|tardamos|listo|lista|terminad[oa])\b/;

/** Promises in a reply that the profile does not state: price figures, bookings, turnaround times. */
export function promisesIn(reply: string, profile: BusinessProfile): string[] {
  const found: string[] = [];
  const promise = fold(profile.response_promise);
  const owner = fold(profile.owner_first_name);
  for (const sentence of sentencesOf(reply)) {
    const s = fold(sentence);
    if (PRICE_FIGURE.test(s)) found.push(`price: ${sentence}`);
    if (BOOKED.test(s)) found.push(`appointment: ${sentence}`);
    const callback = s.includes(promise) || (s.includes(owner) && CALLBACK_VERB.test(s));
    if (!callback && TURNAROUND_WORD.test(s) && DURATION.test(s)) found.push(`turnaround: ${sentence}`);
  }
  return found;
}

// --- Topics -----------------------------------------------------------------------------------

/** What a topic detector sees. */
export interface TopicContext {
  profile: BusinessProfile;
  /** The customer's message the reply answers (the asked-about service comes from it). */
  customerText: string;
}

const CALLBACK_VERB =
  /\b(?:will|'ll|going to|can|is going to|should)\b[^.?!]{0,40}\b(?:reach out|call|contact|get back|text|email|e-mail|follow up|be in touch|reply|respond|get in touch|give you a call)\b/;
const CALLBACK_ES =
  /\b(?:se comunicara|se pondra en contacto|(?:le|lo|la|te) (?:llamara|contactara|escribira|contestara|respondera|mandara un mensaje))\b/;

const AFFIRM =
  /\b(?:yes|yep|yeah|sure|absolutely|definitely|of course|we do|we can|we make|we (?:re-?)?upholster|we work on|we handle|we fix|we repair|we build|we redo|we sew|we cover|si|claro|hacemos|trabajamos|podemos|reparamos|tapizamos|hacemos)\b/;
const NEGATION =
  /\b(?:no|not|don'?t|doesn'?t|do not|does not|can'?t|cannot|won'?t|isn'?t|aren'?t|unfortunately|only (?:do|work on|handle)|outside (?:of )?what we do|no hacemos|no trabajamos|no ofrecemos|solo hacemos|lamentablemente|nomas)\b|n't\b/;

/** Synonym groups of the things a shop like this works on (folded). */
const OFFERED_GROUPS: readonly (readonly string[])[] = [
  ["seat", "asiento"],
  ["headliner", "head liner", "techo", "roof liner"],
  ["convertible", "capota", "soft top", "rag top"],
  ["carpet", "alfombra", "floor mat", "tapete"],
  ["door panel", "panel", "puerta"],
  ["dash", "tablero"],
  ["steering", "volante"],
  ["interior"],
  ["motorcycle", "moto", "bike", "harley"],
  ["boat", "lancha", "bote", "pontoon", "marine"],
  ["rv", "camper", "motorhome", "motor home", "trailer", "casa rodante"],
  ["golf cart", "carrito de golf", "golf"],
  ["cushion", "cojin"],
  ["cover", "funda", "tonneau"],
  ["couch", "sofa", "sillon", "loveseat", "sectional", "furniture", "mueble"],
  ["chair", "silla", "furniture", "mueble"],
  ["ottoman", "furniture", "mueble"],
  ["leather", "piel"],
  ["vinyl", "vinil"],
];

/** Work shops like this one do not do, as customers name it (folded). */
const NOT_OFFERED_GROUPS: readonly (readonly string[])[] = [
  ["paint", "pintura", "pintar", "pintan"],
  ["dent", "abolladura", "body work", "bodywork", "hail", "hojalateria"],
  ["mechanic", "engine", "brake", "transmission", "mecanic", "oil change", "a/c", "ac repair"],
  ["tint", "polarizado", "window film", "polarizar"],
  ["detailing", "full detail"],
  ["wrap"],
  ["windshield", "glass", "parabrisas"],
  ["tire", "llanta"],
  ["stereo", "speaker", "audio", "sound system"],
];

const has = (text: string, word: string) => new RegExp(`\\b${escapeRegExp(word)}`).test(text);
const groupsIn = (text: string, groups: readonly (readonly string[])[]) =>
  groups.filter((group) => group.some((word) => has(text, word)));

/** Key words of the profile's service lines ("seat", "headliners", ...), to spot a list dump. */
function serviceKeys(profile: BusinessProfile): string[] {
  return profile.services.map((line) => fold(line).match(/[a-z]{4,}/)?.[0] ?? fold(line));
}

/** True when a sentence recites most of the profile's service list. */
function isServiceDump(sentence: string, profile: BusinessProfile): boolean {
  const keys = serviceKeys(profile);
  const named = keys.filter((key) => has(sentence, key)).length;
  return named >= Math.min(4, keys.length);
}

/** Clock times of the profile's hours, e.g. ["8am", "5:30pm", "9am", "1pm"] -> patterns. */
function hourTokens(profile: BusinessProfile): RegExp[] {
  const tokens = new Set<string>();
  for (const line of profile.hours) {
    for (const match of fold(line).matchAll(/\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b/g)) {
      const [, h, m] = match;
      if (!h || Number(h) > 12) continue;
      tokens.add(m && m !== "00" ? `${h}:${m}` : h);
    }
  }
  return [...tokens].map((t) =>
    t.includes(":")
      ? new RegExp(`\\b${escapeRegExp(t)}(?!\\d)`)
      : new RegExp(
          `\\b${t}(?::00)?\\s*(?:am|pm|a\\.m\\.|p\\.m\\.|de la|hrs|h)\\b|\\b(?:a las|at|from|de|til|until|to|a) ${t}\\b`,
        ),
  );
}

const digits = (s: string) => s.replace(/\D/g, "");

/** Places of the service area ("Austin", "Round Rock", ...). */
function areaPlaces(profile: BusinessProfile): string[] {
  if (!profile.service_area) return [];
  return fold(profile.service_area)
    .split(/[(),]|\band\b/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 3);
}

type Detector = (reply: string, ctx: TopicContext) => boolean;

const callback: Detector = (reply, { profile }) => {
  const owner = fold(profile.owner_first_name);
  return sentencesOf(reply).some((sentence) => {
    const s = fold(sentence);
    return (s.includes(owner) && (CALLBACK_VERB.test(s) || CALLBACK_ES.test(s))) || CALLBACK_ES.test(s);
  });
};

const DETECTORS: Readonly<Record<ReplyTopic, Detector>> = {
  hours(reply, { profile }) {
    const s = fold(reply);
    if (profile.hours.some((line) => s.includes(fold(line)))) return true;
    return hourTokens(profile).filter((t) => t.test(s)).length >= 2;
  },
  address(reply, { profile }) {
    const street = fold(profile.address.split(",")[0] ?? profile.address);
    const head = street.split(" ").slice(0, 2).join(" ");
    return fold(reply).includes(head);
  },
  area(reply, { profile }) {
    let s = fold(reply);
    s = s.split(fold(profile.address)).join(" ");
    if (profile.service_area && s.includes(fold(profile.service_area))) return true;
    const city = fold(profile.address).split(",")[1]?.trim() ?? "";
    if (areaPlaces(profile).some((place) => place !== city && has(s, place))) return true;
    return /\b(?:we serve|we also serve|serving|service area|within (?:our|the) (?:area|range)|outside (?:of )?(?:our|the) (?:area|range)|(?:not|isn'?t|is not) too far|in our area|people (?:come|drive) (?:in )?from|customers (?:come|drive) (?:in )?from|zona|area de servicio|atendemos|servimos)\b/.test(
      s,
    );
  },
  price(reply) {
    const s = fold(reply);
    if (PRICE_FIGURE.test(s)) return false;
    return sentencesOf(s).some(
      (sentence) =>
        /\b(?:quotes?|quoted|quoting|estimates?|price|pricing|cost|cotiza\w*|precio|presupuesto)\b/.test(
          sentence,
        ) &&
        /\b(?:after|once|seeing|see it|sees|look|photos?|pictures?|in person|can'?t|cannot|no (?:fixed )?(?:price|number)|depends|depende|despues de verlo|verlo|fotos|inspect\w*)\b/.test(
          sentence,
        ),
    );
  },
  services_offered(reply, { profile, customerText }) {
    const asked = groupsIn(fold(customerText), OFFERED_GROUPS);
    const sentences = sentencesOf(fold(reply));
    if (asked.length === 0) {
      // A general "what do you do?": a list of the services is the answer.
      return sentences.some((s) => isServiceDump(s, profile)) || sentences.some((s) => AFFIRM.test(s));
    }
    return sentences.some(
      (s) =>
        AFFIRM.test(s) &&
        !isServiceDump(s, profile) &&
        asked.some((group) => group.some((word) => has(s, word))),
    );
  },
  service_not_offered(reply, { customerText }) {
    const asked = groupsIn(fold(customerText), NOT_OFFERED_GROUPS);
    if (asked.length === 0) return false;
    return sentencesOf(fold(reply)).some(
      (s) => NEGATION.test(s) && asked.some((group) => group.some((word) => has(s, word))),
    );
  },
  automated(reply) {
    const s = fold(reply);
    const claimsHuman =
      /\b(?:i'?m|i am|this is|you'?re talking to) (?:a )?(?:real )?(?:person|human)\b/.test(s) &&
      !/\bnot (?:a )?(?:real )?(?:person|human)\b/.test(s);
    if (claimsHuman) return false;
    return /\b(?:automated|assistant|chat ?bot|bot|virtual|ai|not (?:a )?(?:real )?(?:person|human)|automatizad[oa]|asistente|no soy (?:una )?persona)\b/.test(
      s,
    );
  },
  callback,
  turnaround(reply, ctx) {
    const s = fold(reply);
    if (promisesIn(reply, ctx.profile).some((p) => p.startsWith("turnaround"))) return false;
    const owner = fold(ctx.profile.owner_first_name);
    return sentencesOf(s).some(
      (sentence) =>
        (/\b(?:depends|depending|varies|vary|depende|varia)\b/.test(sentence) ||
          (sentence.includes(owner) &&
            /\b(?:let you know|tell you|give you|confirm|estimate|go over|talk (?:you )?through|le dira|le indicara|le confirmara|le dara)\b/.test(
              sentence,
            ))) &&
        /\b(?:how long|time|timeframe|turnaround|takes?|days?|weeks?|when|schedule|tiempo|tarda|dias|semanas|cuando|fecha)\b/.test(
          sentence,
        ),
    );
  },
  no_appointment(reply, { profile }) {
    const s = fold(reply);
    const owner = fold(profile.owner_first_name);
    return sentencesOf(s).some(
      (sentence) =>
        /\b(?:no|not|isn'?t|aren'?t|haven'?t|hasn'?t|nothing(?:'s)?|don'?t|doesn'?t|yet to)\b[^.?!]{0,50}\b(?:appointments?|booked|scheduled|on the (?:calendar|schedule)|set up|confirmed)\b/.test(
          sentence,
        ) ||
        /\b(?:can'?t|cannot|can not|unable to)\b[^.?!]{0,20}\b(?:book|schedule|make appointments?)\b/.test(
          sentence,
        ) ||
        (sentence.includes(owner) &&
          /\b(?:will|'ll|to|can)\b[^.?!]{0,30}\b(?:confirm|set up|schedule|find|work out|arrange|book|agree on)\b[^.?!]{0,40}\b(?:time|day|appointment|date|drop-?off)\b/.test(
            sentence,
          )) ||
        /\b(?:no|aun no|todavia no)\b[^.?!]{0,40}\b(?:cita|agendad\w*|programad\w*|reservad\w*|confirmad\w*)/.test(
          sentence,
        ) ||
        /\bconfirmar(?:a|le)?\b[^.?!]{0,30}\b(?:hora|cita|fecha|dia)\b/.test(sentence),
    );
  },
  next_steps(reply, ctx) {
    if (callback(reply, ctx)) return true;
    // "I'll pass that along" alone does not say what happens next; who does what, and when, does.
    const owner = fold(ctx.profile.owner_first_name);
    return sentencesOf(fold(reply)).some(
      (s) =>
        s.includes(owner) &&
        /\b(?:will|'ll)\b[^.?!]{0,30}\b(?:review|look over|take a look|go over|quote|revisara|cotizara)\b/.test(
          s,
        ),
    );
  },
  shop_phone(reply, { profile }) {
    return digits(reply).includes(digits(profile.phone).slice(-10));
  },
};

/** True when `reply` answers `topic` (see the per-topic rules above). */
export function answersTopic(topic: ReplyTopic, reply: string, ctx: TopicContext): boolean {
  return DETECTORS[topic](reply, ctx);
}

/** The shop's own contact, normalized like a LeadSummary (E.164 for the US, lowercased email). */
export function shopContact(profile: BusinessProfile): { phone: string | null; email: string | null } {
  const d = digits(profile.phone);
  const phone = d.length === 10 ? `+1${d}` : d.length === 11 && d.startsWith("1") ? `+${d}` : null;
  return { phone, email: profile.email?.toLowerCase() ?? null };
}
