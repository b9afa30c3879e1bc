import type { BusinessProfile } from "../business-profile.js";
import type { TranscriptTurn } from "../chat/transcript.js";
import { foldText } from "../extract/text-match.js";
import type { ItemType } from "../lead-summary.js";
import { ITEM_WORDS, type Lang } from "../vocabulary.js";

// The words of the local intake assistant (intake-reply.ts decides which ones to say).

/** How the confirmation says we will get back to them. */
export interface ContactLine {
  how: "text" | "call" | "email" | "reach";
  value: string;
}

/** Every sentence the assistant says, per language. Spanish is short on purpose. */
export interface Phrases {
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
      : `What's the year, make and model of the ${ITEM_WORDS[item].spoken.en}?`,
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

/** The phrase table of each language. */
export const PHRASES: Readonly<Record<Lang, Phrases>> = { en: EN, es: ES };

const SPANISH =
  /\b(?:hola|buen[oa]s|tengo|necesito|quiero|asiento|gracias|por favor|cuanto|cuesta|precio|me llamo|mi (?:carro|camioneta|troca|coche|nombre|numero)|donde|estan|horario|roto|rota|techo|sillon|tapiceria|puede[ns]?|usted(?:es)?)\b/;

/** The language to answer in, from the customer's latest words; English by default. */
export function languageOf(turns: readonly TranscriptTurn[]): Lang {
  // The latest customer words decide: people switch to English, or answer a photo with no text.
  const last = turns.filter((t) => t.role === "customer" && t.text).at(-1);
  return last && SPANISH.test(foldText(last.text)) ? "es" : "en";
}
