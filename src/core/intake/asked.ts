import { rememberByText } from "../memo.js";

/** The facts the assistant asks for. */
export type AskTopic = "job" | "vehicle" | "make_model" | "year" | "photos" | "name" | "contact";

// Both wordings of every question in phrases.ts, in both languages: how the assistant recognizes
// its own earlier questions in the transcript (the transcript is the only state it has).
const ASKED: Readonly<Record<AskTopic, RegExp>> = {
  job: /What needs doing|What work are you looking|a bit about the job|Qué trabajo necesita|Me cuenta un poco del trabajo|Qué le gustaría arreglar/,
  vehicle: /year, make and model|Which vehicle is it|año, la marca y el modelo|Qué vehículo es/,
  make_model:
    /(?<!year, )make and model of the|know the make and model|Which model is your|Cuál es la marca y el modelo de su|Sabe la marca y el modelo|Qué modelo es su/,
  year: /What year is your|what year the|De qué año es su|de qué año es su/,
  photos: /a photo or two|attach a picture|una o dos fotos|adjunte una foto/,
  name: /What's your name\?|what name should|Cuál es su nombre|por quién debe preguntar/,
  contact: /phone number or email|teléfono o correo/,
};

/** How many earlier assistant replies asked each topic. */
export type AskCounts = Readonly<Record<AskTopic, number>>;

/** Counts the assistant's earlier questions, topic by topic. */
export function askCounts(said: readonly string[]): AskCounts {
  const counts = { job: 0, vehicle: 0, make_model: 0, year: 0, photos: 0, name: 0, contact: 0 };
  for (const text of said) for (const topic of topicsAskedIn(text)) counts[topic]++;
  return counts;
}

/** The topic an assistant reply asked about, if any (a bare answer or a refusal refers to it). */
export function askedIn(reply: string | undefined): AskTopic | null {
  if (!reply) return null;
  return topicsAskedIn(reply)[0] ?? null;
}

/** Every topic one reply asks about, in the order of ASKED. */
const topicsAskedIn = rememberByText((reply: string) =>
  (Object.keys(ASKED) as AskTopic[]).filter((topic) => ASKED[topic].test(reply)),
);

/** Words that say which fact a refusal is about ("idk the year", "why do you need my name?"). */
const REFUSED_TOPIC: ReadonlyArray<readonly [AskTopic, RegExp]> = [
  ["name", /\b(?:name|nombre)\b/i],
  ["contact", /\b(?:number|phone|cell|email|e-mail|contact|info|details|numero|telefono|correo|datos)\b/i],
  ["year", /\b(?:year|ano|año)\b/i],
  ["make_model", /\b(?:make|model|brand|marca|modelo)\b/i],
  ["photos", /\b(?:photos?|pics?|pictures?|fotos?)\b/i],
];

/**
 * The topics a refusal declines: the ones it names, else the one the assistant had just asked
 * (else contact, the one people most often keep to themselves).
 */
export function refusedTopics(text: string, askedBefore: AskTopic | null): AskTopic[] {
  const named = REFUSED_TOPIC.filter(([, pattern]) => pattern.test(text)).map(([topic]) => topic);
  return named.length > 0 ? named : [askedBefore ?? "contact"];
}
