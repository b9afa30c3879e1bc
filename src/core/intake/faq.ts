import type { CountryCode } from "libphonenumber-js";
import type { BusinessProfile } from "../business-profile.js";
import { findPhones } from "../extract/contact.js";
import { shopContactOf } from "../extract/shop-contact.js";
import { foldText } from "../extract/text-match.js";
import { type Intent, intentsOf } from "./intents.js";
import type { Phrases } from "./phrases.js";

// Answers to what the customer asked, from the business profile only: never a price, a date or a
// turnaround the profile does not state.

const NOT_A_SERVICE_WORD = new Set(
  (
    "do does you yall y'all u guys the a an and or on of for my your our work works fix repair repairs handle " +
    "make install replace redo offer services service kind what which also any all can could is are it them " +
    "that those these stuff things thing type types with in to too upholstery reupholster reupholstery ever " +
    "just something someone shop sell hacen trabajan reparan pueden hacer arreglar reparar arreglan " +
    "ustedes que el la los las de del un una y o en mi su por favor tambien si no"
  ).split(" "),
);

/** Spanish words for the services, so "¿hacen asientos de moto?" finds the English profile line. */
const SPANISH_STEMS: Readonly<Record<string, string>> = {
  asiento: "seat",
  techo: "headliner",
  capota: "convertible",
  alfombra: "carpet",
  tapete: "mat",
  puerta: "door",
  tablero: "dashboard",
  volante: "steering",
  moto: "motorcycle",
  motocicleta: "motorcycle",
  lancha: "boat",
  bote: "boat",
  barco: "boat",
  sillon: "couch",
  sofa: "couch",
  mueble: "furniture",
  silla: "chair",
  cojin: "cushion",
  funda: "cover",
  pintura: "paint",
  pintar: "paint",
  golpe: "dent",
  abolladura: "dent",
  mecanica: "mechanical",
  motor: "mechanical",
  polarizado: "tint",
  vidrio: "glass",
  parabrisas: "windshield",
};

const PHRASE_END = /^(?:when|while|in|on|for|to|and|if|with|at|into|from|as|too|also|please)$/;
const INSTALL =
  /\b(?:install|add|put in|fit|wire(?: in)?)\s+(?:a |an |the |new |some )?((?:[a-z]+ ){0,2}[a-z]+)/;

/** What people call work the profile words differently ("brakes" is mechanical work). */
const SYNONYMS: Readonly<Record<string, string>> = {
  brake: "mechanical",
  engine: "mechanical",
  transmission: "mechanical",
  oil: "mechanical",
  tire: "mechanical",
  alignment: "mechanical",
  suspension: "mechanical",
  exhaust: "mechanical",
  stereo: "electrical",
  radio: "electrical",
  speaker: "electrical",
  wiring: "electrical",
  bumper: "body",
  scratch: "paint",
  rust: "body",
  windshield: "glass",
  detail: "detailing",
  conditioning: "mechanical",
  rewrap: "steering",
  wrap: "steering",
};

/** The content words of a services question, stemmed ("boats" -> "boat", "asientos" -> "seat"). */
function serviceStems(folded: string): Array<{ word: string; stem: string }> {
  return (folded.match(/[a-z][a-z'/-]*/g) ?? [])
    .map((w) => (w === "ac" || w === "a/c" ? "conditioning" : w))
    .filter((w) => !NOT_A_SERVICE_WORD.has(w) && w.length >= 3)
    .map((word) => {
      const stem = word.replace(/(?:es|s)$/, "");
      const forms = [word, word.replace(/s$/, ""), stem];
      const known = forms.map((form) => SPANISH_STEMS[form] ?? SYNONYMS[form]).find((found) => found);
      return { word, stem: known ?? stem };
    })
    .filter(({ stem }) => stem.length >= 3);
}

const names = (line: string, stem: string) =>
  new RegExp(`\\b${stem.replace(/[^a-z]/g, "")}`).test(foldText(line));

/** Profile lines that name one of the stems, and the customer's words that matched them. */
function linesNaming(lines: readonly string[], stems: ReadonlyArray<{ word: string; stem: string }>) {
  const matched = lines.filter((line) => stems.some(({ stem }) => names(line, stem)));
  const words = stems.filter(({ stem }) => matched.some((line) => names(line, stem))).map(({ word }) => word);
  return { lines: matched, words: [...new Set(words)] };
}

/** "Do you do X?": yes with the matching lines, no with the lines the shop does not do, or unsure. */
function servicesAnswer(folded: string, profile: BusinessProfile, p: Phrases): string {
  // "ripped seat on my frontier. also do you do brakes?": the question is about the brakes.
  const questions = folded.match(/[^.!?]*\?/g);
  const stems = serviceStems(questions ? questions.join(" ") : folded);
  if (stems.length === 0) return p.servicesAll(profile);
  const no = linesNaming(profile.services_not_offered ?? [], stems);
  const yes = linesNaming(profile.services, stems);
  // "install seat heaters": the thing to install decides, and a seat line saying yes would mislead.
  const phrase = INSTALL.exec(questions ? questions.join(" ") : folded)?.[1]?.split(" ") ?? [];
  const end = phrase.findIndex((word) => PHRASE_END.test(word));
  const installed = (end === -1 ? phrase : phrase.slice(0, end)).at(-1);
  if (installed) {
    const head = serviceStems(installed);
    const known = [...(profile.services_not_offered ?? []), ...profile.services];
    if (head.length > 0 && linesNaming(known, head).lines.length === 0) return p.servicesUnsure(profile);
  }
  if (no.lines.length > 0) {
    const refusal = p.servicesNo(no.lines, no.words);
    return yes.lines.length > 0 ? `${refusal} ${p.servicesYes(yes.lines, yes.words)}` : refusal;
  }
  if (yes.lines.length > 0) return p.servicesYes(yes.lines, yes.words);
  return p.servicesUnsure(profile);
}

const QUESTION_START =
  /^(?:do|does|did|can|could|is|are|will|would|what|how|when|where|who|why|should|any|have|has|you got|hay|tienen|pueden|cuanto|cuando|donde|como|que|quien)\b/;
const SENTENCES = /[^.!?\n]+[.!?]*/g;

/** The questions in a message: sentences with a question mark or opening like one, three words at least. */
function questionsIn(text: string): string[] {
  return (text.match(SENTENCES) ?? [])
    .map((sentence) => sentence.trim())
    .filter((sentence) => {
      const folded = foldText(sentence).replace(/^(?:and|also|ok|so|oh|but|y|pero|tambien)\s+/, "");
      return (
        (folded.match(/[a-z]+/g) ?? []).length >= 3 && (/\?/.test(sentence) || QUESTION_START.test(folded))
      );
    });
}

/** The answers to the intents of the customer's message, in order; at most three. */
export function answersTo(
  intents: readonly Intent[],
  text: string,
  profile: BusinessProfile,
  p: Phrases,
  region: CountryCode = "US",
): string[] {
  const folded = foldText(text);
  const answers: string[] = [];
  const has = (intent: Intent) => intents.includes(intent);
  if (has("automated")) answers.push(p.automated(profile));
  else if (has("callback")) answers.push(p.callback(profile));
  if (has("services")) answers.push(servicesAnswer(folded, profile, p));
  if (has("hours")) answers.push(p.hours(profile));
  if (has("address")) answers.push(p.address(profile));
  else if (has("area")) answers.push(p.area(profile));
  if (has("price")) answers.push(p.price(profile));
  if (has("turnaround")) answers.push(p.turnaround(profile));
  if (has("appointment")) answers.push(p.noAppointment(profile));
  // "is this 512.555.0142?": the shop's own number, asked about (looked up only when a number is there).
  const phones = findPhones(text, region);
  const shopNumber = phones.length > 0 ? shopContactOf(profile, region).phones : null;
  if (has("shop_phone") || phones.some((n) => shopNumber?.has(n))) {
    answers.push(p.shopPhone(profile));
  }
  if (has("next_steps") && !has("callback") && !has("automated")) answers.push(p.nextSteps(profile));
  // A real question none of the above covers is passed on, never guessed and never ignored: each
  // question in the message is looked at on its own ("do you do financing? is there a warranty?").
  const unanswered = questionsIn(text).some((question) =>
    intentsOf(question).every((i) => i === "thanks" || i === "refusal" || i === "withdrawal"),
  );
  if (unanswered) answers.push(p.otherQuestion(profile));
  return answers.slice(0, 4);
}
