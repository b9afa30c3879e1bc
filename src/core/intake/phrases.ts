import type { BusinessProfile } from "../business-profile.js";
import type { Lang } from "../vocabulary.js";

// The words of the local intake assistant (reply.ts decides which ones to say).

/** How the confirmation says we will get back to them. */
export interface ContactLine {
  how: "text" | "call" | "email" | "reach";
  value: string;
}

/** Which time a question is asked: the second time it is worded differently, and there is no third. */
export type Attempt = 0 | 1;

/** The questions the assistant asks, each in two wordings. */
export interface Questions {
  jobAndSubject(attempt: Attempt): string;
  job(subject: string, attempt: Attempt): string;
  vehicle(attempt: Attempt): string;
  /** "What's the make and model of the truck?" (the customer's word for the item). */
  makeModel(subject: string, attempt: Attempt): string;
  year(subject: string, attempt: Attempt): string;
  /** The make is known, the model is not: "Which model is your 2010 Chevrolet?" (asked once). */
  model(subject: string): string;
  /** "carpet work, a headliner and door panel work". */
  andList(items: readonly string[]): string;
  photos(attempt: Attempt): string;
  name(owner: string, attempt: Attempt): string;
  contact(firstName: string | null, attempt: Attempt): string;
}

/** Every sentence the assistant says, per language. */
export interface Phrases extends Questions {
  greet(p: BusinessProfile): string;
  photoThanks(count: number): string;
  correction: string;
  invitePhotos: string;
  inviteName(owner: string): string;
  confirm(service: string, subject: string, contact: ContactLine, firstName: string | null): string;
  close(p: BusinessProfile): string;
  updated: string;
  passAlong(p: BusinessProfile): string;
  welcome(p: BusinessProfile): string;
  price(p: BusinessProfile): string;
  hours(p: BusinessProfile): string;
  address(p: BusinessProfile): string;
  area(p: BusinessProfile): string;
  servicesAll(p: BusinessProfile): string;
  /** Yes: the profile lines that match, and the customer's own words for them. */
  servicesYes(matched: readonly string[], words: readonly string[]): string;
  servicesNo(notOffered: readonly string[], words: readonly string[]): string;
  servicesUnsure(p: BusinessProfile): string;
  turnaround(p: BusinessProfile): string;
  automated(p: BusinessProfile): string;
  callback(p: BusinessProfile): string;
  noAppointment(p: BusinessProfile): string;
  /** "What happens now?": the owner reads the request and reaches out. */
  nextSteps(p: BusinessProfile): string;
  shopPhone(p: BusinessProfile): string;
  /** A question the profile cannot answer: passed on, never guessed. */
  otherQuestion(p: BusinessProfile): string;
  /** A number that is not one: "that looks a digit short". */
  badPhone(kind: "short" | "long" | "invalid"): string;
  /** The customer would rather not leave a contact: no more asking, the shop's phone instead. */
  backOff(p: BusinessProfile): string;
  /** Nothing more to ask (everything asked twice or declined), not ready. */
  nothingMore(p: BusinessProfile): string;
  spam: string;
  spamAgain: string;
}

const lowerFirst = (s: string) => (/^\p{Lu}\p{Ll}/u.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);
const listOf = (items: readonly string[]) => items.map(lowerFirst).join("; ");
const orList = (items: readonly string[], or: string) =>
  items.length <= 1
    ? items.map(lowerFirst).join("")
    : `${items.slice(0, -1).map(lowerFirst).join(", ")} ${or} ${lowerFirst(items.at(-1) ?? "")}`;
const pick = (attempt: Attempt, first: string, second: string) => (attempt === 0 ? first : second);

const EN: Phrases = {
  greet: (p) => `Hi, thanks for reaching out to ${p.name}!`,
  photoThanks: (n) => (n === 1 ? "Thanks for the photo!" : "Thanks for the photos!"),
  correction: "Got it, thanks for the correction.",
  jobAndSubject: (a) =>
    pick(
      a,
      "What needs doing, and on what vehicle (year, make and model) or item?",
      "Could you tell me a bit about the job: what's damaged, and on which vehicle or item?",
    ),
  job: (subject, a) =>
    pick(
      a,
      `What needs doing on your ${subject}?`,
      `What work are you looking to have done on the ${subject} (seats, headliner, carpet, top)?`,
    ),
  vehicle: (a) =>
    pick(
      a,
      "What's the year, make and model of the vehicle?",
      "Which vehicle is it, if you don't mind (for example, a 2012 Honda Civic)?",
    ),
  makeModel: (subject, a) =>
    pick(
      a,
      `What's the make and model of the ${subject}?`,
      `Do you know the make and model of the ${subject}? The year helps too.`,
    ),
  year: (subject, a) =>
    pick(a, `What year is your ${subject}?`, `Do you know roughly what year the ${subject} is?`),
  model: (subject) => `Which model is your ${subject}?`,
  andList: (items) => orList(items, "and"),
  photos: (a) =>
    pick(
      a,
      "Could you send a photo or two of it? You can attach them right here in the chat.",
      "If you can, attach a picture of it here; it helps with the quote.",
    ),
  name: (owner, a) => pick(a, "What's your name?", `And what name should ${owner} ask for?`),
  contact: (name, a) =>
    `${name ? `Thanks, ${name}! ` : ""}${pick(
      a,
      "What's the best phone number or email to reach you?",
      "So we can get back to you, what's a good phone number or email for you?",
    )}`,
  invitePhotos: "If you have a photo or two, attach them right here and he'll see them with your request.",
  inviteName: (owner) => `And what name should ${owner} ask for?`,
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
  area: (p) =>
    p.service_area
      ? `We're at ${p.address} and serve ${p.service_area}; customers bring their vehicle or item to the shop.`
      : `We're at ${p.address}; customers bring their vehicle or item to the shop.`,
  servicesAll: (p) => `We work on ${listOf(p.services)}.`,
  servicesYes: (matched) => `Yes, we do: ${listOf(matched)}.`,
  servicesNo: (lines) => `No, we don't do ${orList(lines, "or")}; we're an upholstery shop.`,
  servicesUnsure: (p) =>
    `I'm not sure that's something we do; ${p.owner_first_name} will reach out ${p.response_promise} and can tell you.`,
  turnaround: (p) =>
    p.turnaround ?? `It depends on the job; ${p.owner_first_name} will tell you how long once he's seen it.`,
  automated: (p) =>
    `I'm the automated assistant for ${p.name}, not a person; ${p.owner_first_name} himself reads every request and will reach out ${p.response_promise}.`,
  callback: (p) => `Yes, ${p.owner_first_name} will reach out himself ${p.response_promise}.`,
  noAppointment: (p) =>
    `Just so you know, nothing is booked yet: ${p.owner_first_name} will reach out to set up a time.`,
  nextSteps: (p) =>
    `${p.owner_first_name} gets your request with everything you've told me here, and he'll reach out ${p.response_promise} to talk about the job and a price.`,
  shopPhone: (p) => `The shop's number is ${p.phone} (${p.hours.join(", ")}).`,
  otherQuestion: (p) =>
    `Good question; I don't have that answer, so I'll pass it on: ${p.owner_first_name} will reach out ${p.response_promise} and can answer it then.`,
  badPhone: (kind) =>
    kind === "short"
      ? "That number looks a digit short. Could you check it?"
      : kind === "long"
        ? "That number looks a digit too long. Could you check it?"
        : "That number doesn't look right to me. Could you check it?",
  backOff: (p) =>
    `No problem. If you'd rather call, the shop's number is ${p.phone} (${p.hours.join(", ")}).`,
  nothingMore: (p) => `Thanks! If you'd like to talk it over, you can call the shop at ${p.phone}.`,
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
  jobAndSubject: (a) =>
    pick(
      a,
      "¿Qué trabajo necesita y en qué vehículo (año, marca y modelo) o artículo?",
      "¿Me cuenta un poco del trabajo: qué está dañado y en qué vehículo o artículo?",
    ),
  job: (subject, a) =>
    pick(
      a,
      `¿Qué trabajo necesita en su ${subject}?`,
      `¿Qué le gustaría arreglar en su ${subject} (asientos, techo, alfombra)?`,
    ),
  vehicle: (a) =>
    pick(
      a,
      "¿Cuál es el año, la marca y el modelo del vehículo?",
      "¿Qué vehículo es, si no le molesta (por ejemplo, un Honda Civic 2012)?",
    ),
  makeModel: (subject, a) =>
    pick(
      a,
      `¿Cuál es la marca y el modelo de su ${subject}?`,
      `¿Sabe la marca y el modelo de su ${subject}?`,
    ),
  year: (subject, a) =>
    pick(a, `¿De qué año es su ${subject}?`, `¿Sabe más o menos de qué año es su ${subject}?`),
  model: (subject) => `¿Qué modelo es su ${subject}?`,
  andList: (items) => orList(items, "y"),
  photos: (a) =>
    pick(
      a,
      "¿Podría enviar una o dos fotos? Puede adjuntarlas aquí en el chat.",
      "Si puede, adjunte una foto aquí; ayuda con la cotización.",
    ),
  name: (owner, a) => pick(a, "¿Cuál es su nombre?", `¿Y por quién debe preguntar ${owner}?`),
  contact: (name, a) =>
    `${name ? `Gracias, ${name}. ` : ""}${pick(
      a,
      "¿Cuál es el mejor teléfono o correo para contactarle?",
      "Para poder responderle, ¿a qué teléfono o correo le escribimos?",
    )}`,
  invitePhotos: "Si tiene una o dos fotos, puede adjuntarlas aquí en el chat.",
  inviteName: (owner) => `¿Y por quién debe preguntar ${owner}?`,
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
    `${p.owner_first_name} cotiza cada trabajo después de verlo, así que no puedo darle un precio aquí; las fotos le ayudan a darle un precio rápido.`,
  hours: (p) => `Nuestro horario: ${p.hours.join(", ")}.`,
  address: (p) => `Estamos en ${p.address}.`,
  area: (p) =>
    p.service_area
      ? `Estamos en ${p.address} y atendemos ${p.service_area}; los clientes traen su vehículo o artículo al taller.`
      : `Estamos en ${p.address}; los clientes traen su vehículo o artículo al taller.`,
  servicesAll: (p) => `Trabajamos en: ${listOf(p.services)}.`,
  // The profile's service lines are in the shop's own language: a Spanish answer names the work in
  // the customer's own words instead of quoting them.
  servicesYes: (_lines, words) => `Sí, trabajamos ${orList(words, "y")}.`,
  servicesNo: (_lines, words) => `No, no hacemos ${orList(words, "ni")}; somos un taller de tapicería.`,
  servicesUnsure: (p) =>
    `No estoy seguro de que hagamos eso; ${p.owner_first_name} se lo puede confirmar cuando le contacte.`,
  turnaround: (p) => `Depende del trabajo; ${p.owner_first_name} le dirá cuánto tarda cuando lo vea.`,
  automated: (p) =>
    `Soy el asistente automatizado de ${p.name}, no una persona; ${p.owner_first_name} lee cada solicitud y se comunicará con usted ${promiseEs(p.response_promise)}.`,
  callback: (p) =>
    `Sí, ${p.owner_first_name} mismo se comunicará con usted ${promiseEs(p.response_promise)}.`,
  noAppointment: (p) =>
    `Para que lo sepa, todavía no hay cita: ${p.owner_first_name} se comunicará con usted para acordar una hora.`,
  nextSteps: (p) =>
    `${p.owner_first_name} recibe su solicitud con todo lo que me dijo aquí y se comunicará con usted ${promiseEs(p.response_promise)} para hablar del trabajo y del precio.`,
  shopPhone: (p) => `El teléfono del taller es ${p.phone}.`,
  otherQuestion: (p) =>
    `Buena pregunta; no tengo esa respuesta, así que se la paso a ${p.owner_first_name} con su solicitud. Él se comunicará con usted ${promiseEs(p.response_promise)} y se la podrá responder.`,
  badPhone: (kind) =>
    kind === "short"
      ? "Parece que a ese número le falta un dígito. ¿Lo puede revisar?"
      : kind === "long"
        ? "Parece que ese número tiene un dígito de más. ¿Lo puede revisar?"
        : "Ese número no me parece correcto. ¿Lo puede revisar?",
  backOff: (p) => `No hay problema. Si prefiere llamar, el teléfono del taller es ${p.phone}.`,
  nothingMore: (p) => `¡Gracias! Si quiere hablarlo, puede llamar al taller al ${p.phone}.`,
  spam: "Gracias, pero este chat es solo para clientes de tapicería.",
  spamAgain: "Está bien. ¡Que tenga buen día!",
};

/** The phrase table of each language. */
export const PHRASES: Readonly<Record<Lang, Phrases>> = { en: EN, es: ES };
