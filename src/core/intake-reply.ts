import type { BusinessProfile } from "./business-profile.js";
import { itemTypeMentions } from "./item-type.js";
import { looksLikeSalesPitch } from "./summarize-fields.js";
import type { ItemType, LeadSummary, ServiceCategory } from "./summary.js";
import { foldText } from "./text-match.js";
import type { Transcript, TranscriptTurn } from "./transcript.js";

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

type Lang = "en" | "es";

const SERVICE_LABELS: Readonly<Record<Lang, Record<ServiceCategory, string>>> = {
  en: {
    seat_repair: "a seat repair",
    seat_reupholstery: "seat reupholstery",
    headliner: "a headliner",
    convertible_top: "a convertible top",
    carpet: "carpet work",
    door_panels: "door panel work",
    dashboard: "dashboard work",
    steering_wheel: "a steering wheel",
    full_interior: "a full interior",
    cushions_covers: "cushions or covers",
    motorcycle_seat: "a motorcycle seat",
    furniture: "furniture reupholstery",
    other: "upholstery work",
  },
  es: {
    seat_repair: "una reparación de asiento",
    seat_reupholstery: "retapizado de asientos",
    headliner: "el techo interior",
    convertible_top: "la capota",
    carpet: "la alfombra",
    door_panels: "los paneles de puerta",
    dashboard: "el tablero",
    steering_wheel: "el volante",
    full_interior: "un interior completo",
    cushions_covers: "cojines o fundas",
    motorcycle_seat: "un asiento de moto",
    furniture: "tapicería de muebles",
    other: "un trabajo de tapicería",
  },
};

const ITEM_NOUNS: Readonly<Record<Lang, Record<ItemType, string>>> = {
  en: {
    car: "car",
    truck: "truck",
    suv: "SUV",
    van: "van",
    motorcycle: "motorcycle",
    boat: "boat",
    rv: "RV",
    furniture: "furniture",
    other: "item",
  },
  es: {
    car: "carro",
    truck: "camioneta",
    suv: "SUV",
    van: "van",
    motorcycle: "moto",
    boat: "lancha",
    rv: "RV",
    furniture: "mueble",
    other: "artículo",
  },
};

/** How the confirmation says we will get back to them. */
interface ContactLine {
  how: "text" | "call" | "email" | "reach";
  value: string;
}

/** Every sentence the assistant says, per language. Spanish is short on purpose. */
interface Phrases {
  greet(p: BusinessProfile): string;
  photoThanks(count: number): string;
  correction: string;
  askJobAndSubject: string;
  askJob(subject: string): string;
  askVehicle(item: ItemType | null): string;
  askPhotos: string;
  askName: string;
  invitePhotos: string;
  inviteName: string;
  askContact(firstName: string | null): string;
  confirm(service: string, subject: string, contact: ContactLine, firstName: string | null): string;
  close(p: BusinessProfile): string;
  updated: string;
  passAlong(p: BusinessProfile): string;
  welcome(p: BusinessProfile): string;
  price(p: BusinessProfile): string;
  hours(p: BusinessProfile): string;
  address(p: BusinessProfile): string;
  services(p: BusinessProfile, matched: readonly string[]): string;
  spam: string;
  spamAgain: string;
}

const lowerFirst = (s: string) => (/^\p{Lu}\p{Ll}/u.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);
const listOf = (items: readonly string[]) => items.map(lowerFirst).join("; ");

const EN: Phrases = {
  greet: (p) => `Hi, thanks for reaching out to ${p.name}!`,
  photoThanks: (n) => (n === 1 ? "Thanks for the photo!" : "Thanks for the photos!"),
  correction: "Got it, thanks for the correction.",
  askJobAndSubject: "What needs doing, and on what vehicle (year, make and model) or item?",
  askJob: (subject) => `What needs doing on your ${subject}?`,
  askVehicle: (item) =>
    item === "car" || item === null
      ? "What's the year, make and model of the vehicle?"
      : `What's the year, make and model of the ${ITEM_NOUNS.en[item]}?`,
  askPhotos: "Could you send a photo or two of it? You can attach them right here in the chat.",
  askName: "What's your name?",
  invitePhotos: "If you have a photo or two, attach them right here and he'll see them with your request.",
  inviteName: "And what name should he ask for?",
  askContact: (name) =>
    `${name ? `Thanks, ${name}! ` : ""}What's the best phone number or email to reach you?`,
  confirm: (service, subject, c, name) => {
    const verb = { text: "text you", call: "call you", email: "email you", reach: "reach you" }[c.how];
    return `${name ? `Thanks, ${name}! ` : ""}So that's ${service} on your ${subject}, and we'll ${verb} at ${c.value}.`;
  },
  close: (p) => `${p.owner_first_name} will reach out ${p.response_promise}.`,
  updated: "Got it, I've updated that.",
  passAlong: (p) => `Thanks, I'll pass that along to ${p.owner_first_name}.`,
  welcome: (p) => `You're welcome! ${p.owner_first_name} will reach out ${p.response_promise}.`,
  price: (p) =>
    `${p.owner_first_name} quotes every job after seeing it, so I can't give you a number here, but photos help him get you a price quickly.`,
  hours: (p) => `We're open ${p.hours.join(", ")}.`,
  address: (p) => `We're at ${p.address}${p.service_area ? `, and we serve ${p.service_area}` : ""}.`,
  services: (p, matched) =>
    matched.length > 0
      ? `Yes, we do: ${listOf(matched)}.`
      : `We work on ${listOf(p.services)}; ${p.owner_first_name} can tell you about anything else.`,
  spam: "Thanks, but this chat is just for customers with upholstery work, so we'll pass.",
  spamAgain: "No problem. Have a good day!",
};

/** "within one business day" and friends; anything else becomes a plain "soon", never a new promise. */
function promiseEs(promise: string): string {
  const known: Record<string, string> = {
    "within one business day": "en un día hábil",
    "within 1 business day": "en un día hábil",
    "within one day": "en un día",
    "the same day": "el mismo día",
    "within 24 hours": "en 24 horas",
  };
  return known[promise.toLowerCase()] ?? "pronto";
}

const ES: Phrases = {
  greet: (p) => `¡Hola! Gracias por comunicarse con ${p.name}.`,
  photoThanks: (n) => (n === 1 ? "¡Gracias por la foto!" : "¡Gracias por las fotos!"),
  correction: "Entendido, gracias por la corrección.",
  askJobAndSubject: "¿Qué trabajo necesita y en qué vehículo (año, marca y modelo) o artículo?",
  askJob: (subject) => `¿Qué trabajo necesita en su ${subject}?`,
  askVehicle: () => "¿Cuál es el año, la marca y el modelo del vehículo?",
  askPhotos: "¿Podría enviar una o dos fotos? Puede adjuntarlas aquí en el chat.",
  askName: "¿Cuál es su nombre?",
  invitePhotos: "Si tiene una o dos fotos, puede adjuntarlas aquí en el chat.",
  inviteName: "¿Y cuál es su nombre?",
  askContact: (name) =>
    `${name ? `Gracias, ${name}. ` : ""}¿Cuál es el mejor teléfono o correo para contactarle?`,
  confirm: (service, subject, c, name) => {
    const verb = { text: "escribiremos", call: "llamaremos", email: "escribiremos", reach: "contactaremos" }[
      c.how
    ];
    const to = c.how === "email" ? "a" : "al";
    return `${name ? `Gracias, ${name}. ` : ""}Entonces es ${service} para su ${subject}, y le ${verb} ${to} ${c.value}.`;
  },
  close: (p) => `${p.owner_first_name} se comunicará con usted ${promiseEs(p.response_promise)}.`,
  updated: "Entendido, ya lo actualicé.",
  passAlong: (p) => `Gracias, se lo paso a ${p.owner_first_name}.`,
  welcome: (p) => `¡De nada! ${p.owner_first_name} se comunicará con usted ${promiseEs(p.response_promise)}.`,
  price: (p) =>
    `${p.owner_first_name} cotiza cada trabajo después de verlo; las fotos le ayudan a darle un precio rápido.`,
  hours: (p) => `Nuestro horario: ${p.hours.join(", ")}.`,
  address: (p) => `Estamos en ${p.address}.`,
  services: (p) => `Trabajamos en: ${listOf(p.services)}.`,
  spam: "Gracias, pero este chat es solo para clientes de tapicería.",
  spamAgain: "Está bien. ¡Que tenga buen día!",
};

const PHRASES: Readonly<Record<Lang, Phrases>> = { en: EN, es: ES };

const SPANISH =
  /\b(?:hola|buen[oa]s|tengo|necesito|quiero|asiento|gracias|por favor|cuanto|cuesta|precio|me llamo|mi (?:carro|camioneta|troca|coche|nombre|numero)|donde|estan|horario|roto|rota|techo|sillon|tapiceria|puede[ns]?|usted(?:es)?)\b/;

const HOURS_Q =
  /\b(?:hours|what time|(?:are|r) (?:you|y'?all|u) open|open (?:on|today|tomorrow|saturdays?|sundays?|weekends?|late|now)|when (?:are|do) (?:you|y'?all|u) (?:open|close)|horario|a que hora|abren|estan abiertos)\b/;
const ADDRESS_Q =
  /\b(?:where (?:are|is|r) (?:you|y'?all|u|the shop|your shop)|where(?:'s| is) (?:the shop|your shop)|(?<!e-?mail )address|directions|located\?|donde (?:estan|queda|se encuentran)|direccion)\b/;
const PRICE_Q =
  /\b(?:how much|prices?|pricing|cost|costs|quote|estimate|charge|ballpark|rates?|cuanto|precios?|cuesta|cobran)\b/;
const SERVICES_Q =
  /\b(?:do (?:you|y'?all|u)(?: guys)? (?:do|fix|work on|repair|handle|reupholster|redo|make|install|replace|offer)|what (?:services|kind of work|all do you do|do you do)|can (?:you|y'?all|u) (?:do|fix|work on|repair|redo)|hacen|trabajan|reparan)\b/;
const THANKS = /^(?:ok(?:ay)?|cool|great|perfect|sounds good|awesome|thanks?|thank you|thx|ty|gracias|bye)\b/;
const CORRECTION =
  /\b(?:actually|i meant|i mean|correction|instead|scratch that|my bad|wrong|typo|not the|en realidad|quise decir|mejor dicho)\b/;
const NOT_A_SERVICE_WORD = new Set(
  (
    "do does you yall y'all u guys the a an and or on of for my your our work works fix repair handle make " +
    "install replace redo offer services service kind what which also any all can could is are it them that " +
    "those these stuff things thing type types with in to too upholstery reupholster reupholstery ever just"
  ).split(" "),
);

/** Profile service lines that name what the customer asked about ("do you do boats?"). */
function matchingServices(folded: string, profile: BusinessProfile): string[] {
  const stems = (folded.match(/[a-z][a-z'-]*/g) ?? [])
    .filter((w) => !NOT_A_SERVICE_WORD.has(w) && w.length >= 2)
    .map((w) => (w.length >= 3 ? w.replace(/(?:es|s)$/, "") : w))
    .filter((stem) => stem.length >= 2);
  return profile.services.filter((line) => {
    const service = foldText(line);
    return stems.some((stem) => new RegExp(`\\b${stem.replace(/[^a-z]/g, "")}`).test(service));
  });
}

function faqAnswers(folded: string, profile: BusinessProfile, p: Phrases): string[] {
  const answers: string[] = [];
  if (HOURS_Q.test(folded)) answers.push(p.hours(profile));
  if (ADDRESS_Q.test(folded)) answers.push(p.address(profile));
  if (SERVICES_Q.test(folded)) answers.push(p.services(profile, matchingServices(folded, profile)));
  if (PRICE_Q.test(folded)) answers.push(p.price(profile));
  // Two answers at most: the reply stays short and the intake question still fits.
  return answers.slice(0, 2);
}

function languageOf(turns: readonly TranscriptTurn[]): Lang {
  // The latest customer words decide: people switch to English, or answer a photo with no text.
  const last = turns.filter((t) => t.role === "customer" && t.text).at(-1);
  return last && SPANISH.test(foldText(last.text)) ? "es" : "en";
}

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
  return ITEM_NOUNS[lang][item];
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
  if (!last) return profile.greeting ?? `${EN.greet(profile)} What can we help you with today?`;

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

  const confirmation = p.confirm(SERVICE_LABELS[lang][summary.service_category], subject, contact, null);
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
    p.confirm(SERVICE_LABELS[lang][summary.service_category], subject, contact, thanked ? null : firstName),
  );
  parts.push(p.close(profile));
  if (invite) parts.push(invite);
  return parts.join(" ");
}
