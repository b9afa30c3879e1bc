import type { ItemType } from "../lead-summary.js";
import { rememberByTextAnd } from "../memo.js";
import { foldText, isNegatedAt, tidyCase } from "./text-match.js";
import { MAKES, type MakeEntry, MODELS_NEEDING_MAKE, type VehicleKind } from "./vehicle-data.js";
import { FOUR_DIGIT_YEAR, findModelYear, type VehicleToken } from "./vehicle-year.js";

export type { VehicleKind } from "./vehicle-data.js";
export { toFourDigitYear } from "./vehicle-year.js";

/** What one message says about a vehicle; any part may be missing. */
export interface VehicleMention {
  year: number | null;
  /** Canonical make, e.g. `Chevrolet` for "chevy". */
  make: string | null;
  model: string | null;
  /** The kind the make or model implies, when known. */
  kind: VehicleKind | null;
  /** `kind` comes from a known model (an F-150 is a truck), not just the make's usual kind. */
  kindFromModel: boolean;
}

/** Options for {@link parseVehicle}. */
export interface ParseVehicleOptions {
  /** Newest model year accepted; also the pivot for two-digit years. @default next calendar year */
  maxYear?: number;
  /** The assistant just asked for the year, so a bare "2012" or "87" is an answer. @default false */
  yearExpected?: boolean;
  /** Item kinds mentioned anywhere in the conversation; supports ambiguous makes ("my lund" + "boat"). */
  kindContext?: ReadonlySet<ItemType>;
}

type Token = VehicleToken;

interface ModelEntry {
  name: string;
  kind: VehicleKind | null;
}

const normalize = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "");

const MAKE_INDEX = new Map<string, MakeEntry>();
const MODEL_INDEX = new Map<MakeEntry, Map<string, ModelEntry>>();
/** Models that name their make on their own ("civic" -> Honda): unique and not everyday words. */
const MODEL_ONLY = new Map<string, { make: MakeEntry; model: ModelEntry } | null>();
/** Model keys of each make's rivals, so "malibu" can be Chevrolet's model or the boat make. */
const MODEL_OF_OTHER = new Map<string, MakeEntry>();

for (const make of MAKES) {
  for (const spelling of [make.name, ...(make.aliases ?? [])]) MAKE_INDEX.set(normalize(spelling), make);
  const models = new Map<string, ModelEntry>();
  for (const [kind, names] of Object.entries(make.models ?? {}) as Array<[VehicleKind, readonly string[]]>) {
    for (const name of names) models.set(normalize(name), { name, kind });
  }
  for (const [alias, name] of Object.entries(make.modelAliases ?? {})) {
    const target = models.get(normalize(name));
    if (target) models.set(normalize(alias), target);
  }
  MODEL_INDEX.set(make, models);
  for (const [key, model] of models) {
    MODEL_OF_OTHER.set(key, make);
    // A second make with the same model key makes it ambiguous: remember that with null.
    MODEL_ONLY.set(key, MODEL_ONLY.has(key) ? null : { make, model });
  }
}
/**
 * Models that are also everyday words or places ("tacoma", "ranger", "focus"): they name their make
 * only right after a model year or "my"/"our" ("my 2004 tacoma", "our sienna").
 */
const GUARDED_MODEL_ONLY = new Map<string, { make: MakeEntry; model: ModelEntry }>();
for (const [key, hit] of [...MODEL_ONLY]) {
  if (MAKE_INDEX.has(key) || MODELS_NEEDING_MAKE.has(key) || key.length < 3 || /^\d+$/.test(key)) {
    MODEL_ONLY.delete(key);
    if (hit && MODELS_NEEDING_MAKE.has(key) && !MAKE_INDEX.has(key) && !/^\d+$/.test(key)) {
      GUARDED_MODEL_ONLY.set(key, hit);
    }
  }
}

/** Words that follow a make but are not a model ("my chevy truck", "ford with torn seats"). */
const NOT_A_MODEL = new Set(
  (
    "a an the and or but with w is was has had have that which it its it's i im my our his her seat seats " +
    "interior headliner door doors dash carpet top convertible truck pickup car suv van boat bike motorcycle " +
    "rv camper trailer needs need needing driver drivers passenger front rear back leather cloth vinyl " +
    "fabric steering wheel console from in on at to for of by about just also too so very really pretty " +
    "black white red blue grey gray tan brown beige green silver cream oem original stock classic old new " +
    "seating cushions cushion bench bucket ripped torn tore cracked worn sagging broken model year make " +
    "redone done fixed recovered reupholstered redo fix repaired restored cart carts " +
    "de del la el con y mi es tiene asiento asientos sport"
  ).split(" "),
);

const TOKEN = /[a-z0-9]+(?:['&-][a-z0-9]+)*/g;

function tokenize(folded: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(folded); match; match = TOKEN.exec(folded)) {
    // "my ford's seat": the possessive is not part of the name.
    const text = match[0].replace(/'s$/, "");
    tokens.push({ text, key: normalize(text), start: match.index });
  }
  return tokens;
}

/** Longest known name (up to three words) starting at token `i`, as [entry, words used]. */
function lookup<T>(tokens: readonly Token[], i: number, index: ReadonlyMap<string, T>): [T, number] | null {
  const keys: string[] = [];
  let key = "";
  for (let span = 1; span <= 3 && i + span <= tokens.length; span++) {
    key += (tokens[i + span - 1] as Token).key;
    keys.push(key);
  }
  for (let span = keys.length; span >= 1; span--) {
    const found = index.get(keys[span - 1] as string);
    if (found !== undefined) return [found, span];
  }
  return null;
}

/** Damerau-Levenshtein distance of at most one (one typo: "hondda", "toyta", "silverdo"). */
export function isOneTypoAway(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Real words one letter away from a make name; never read as a misspelled make. */
const TYPO_LOOKALIKES = new Set([
  "lodge",
  "dodger",
  "dodged",
  "dodgy",
  "barley",
  "harvey",
  "hondo",
  "chewy",
  "candy",
  "lexis",
]);
const FUZZY_MAKES = [...MAKE_INDEX].filter(([key, make]) => key.length >= 5 && !make.weak);

function fuzzyMake(token: Token): MakeEntry | null {
  if (token.key.length < 5 || TYPO_LOOKALIKES.has(token.key)) return null;
  for (const [key, make] of FUZZY_MAKES) {
    if (key[0] === token.key[0] && isOneTypoAway(key, token.key)) return make;
  }
  return null;
}

function fuzzyModel(models: ReadonlyMap<string, ModelEntry>, token: Token | undefined): ModelEntry | null {
  if (!token || token.key.length < 5) return null;
  for (const [key, model] of models) if (key.length >= 5 && isOneTypoAway(key, token.key)) return model;
  return null;
}

interface ModelMatch {
  model: ModelEntry | null;
  /** The model is in the make's list (or one typo away), not just the next word. */
  known: boolean;
  /** Tokens the model used. */
  span: number;
}

/** The model after a make: a known one (longest first), else one plausible word, as typed. */
function modelAfter(make: MakeEntry, folded: string, tokens: readonly Token[], i: number): ModelMatch {
  const models = MODEL_INDEX.get(make) ?? new Map<string, ModelEntry>();
  const known = lookup(tokens, i, models);
  if (known) return { model: known[0], known: true, span: known[1] };
  const next = tokens[i];
  const typo = fuzzyModel(models, next);
  if (typo) return { model: typo, known: true, span: 1 };
  // "2020 ford. send it" - a word after punctuation starts something else.
  const gap =
    next && i > 0
      ? folded.slice((tokens[i - 1]?.start ?? 0) + (tokens[i - 1]?.text.length ?? 0), next.start)
      : " ";
  if (
    !next ||
    !/^\s+$/.test(gap) ||
    NOT_A_MODEL.has(next.text) ||
    /^\d{5,}$|^(?:19|20)\d\d$/.test(next.key) ||
    next.key.length < 2
  ) {
    return { model: null, known: false, span: 0 };
  }
  const name = /\d/.test(next.text) ? next.text.toUpperCase() : tidyCase(next.text);
  // "sea ray 240 sundancer": a bare number is a model line's size; the word after names the line.
  const after = tokens[i + 1];
  if (
    /^\d{2,4}$/.test(next.key) &&
    after &&
    /^[a-z]{4,}$/.test(after.key) &&
    !NOT_A_MODEL.has(after.text) &&
    /^\s+$/.test(folded.slice(next.start + next.text.length, after.start))
  ) {
    return { model: { name: `${name} ${tidyCase(after.text)}`, kind: null }, known: false, span: 2 };
  }
  return { model: { name, kind: null }, known: false, span: 1 };
}

/** Trim and sub-model words that stay with a known model ("Silverado 2500HD", "F-150 King Ranch"). */
const TRIM_WORDS = new Set(
  (
    "hd ld lt ltz ls xl xlt lariat limited platinum denali laramie sport touring se le xle sr5 trd gt ss rs " +
    "z71 ex lx si pro custom classic ultra special deluxe signature premium king ranch tradesman rebel raptor " +
    "sahara rubicon trailhawk overland srt hemi cummins duramax powerstroke super duty unlimited"
  ).split(" "),
);
const UPPER_TRIMS = new Set("hd ld lt ltz ls xl xlt se le xle sr5 trd gt ss rs z71 ex lx si srt".split(" "));

/** Up to two trim tokens right after a known model, as the customer would write them. */
function trimAfter(folded: string, tokens: readonly Token[], i: number): { words: string[]; span: number } {
  const words: string[] = [];
  for (let at = i; at < i + 2 && at < tokens.length; at++) {
    const token = tokens[at] as Token;
    const previous = tokens[at - 1];
    const gap = previous ? folded.slice(previous.start + previous.text.length, token.start) : " ";
    // "2500HD", "325i", "1500": not a year ("05", "2019") and not a quantity ("4").
    const digitTrim =
      /^(?:[a-z]+\d{2,4}[a-z]{0,3}|\d{2,4}[a-z]{1,3}|\d{3,4})$/.test(token.key) &&
      !/^(?:19|20)\d\d$/.test(token.key);
    if (!/^[\s-]*$/.test(gap) || !(digitTrim || TRIM_WORDS.has(token.key))) break;
    // "2500hd" -> "2500HD", "325i" stays: letter groups are designations, a lone letter is a variant.
    if (digitTrim) words.push(token.text.replace(/[a-z]{2,}/g, (letters) => letters.toUpperCase()));
    else words.push(UPPER_TRIMS.has(token.key) ? token.text.toUpperCase() : tidyCase(token.text));
  }
  return { words, span: words.length };
}

const KIND_NOUNS: Readonly<Record<VehicleKind, RegExp>> = {
  other: /\b(?:golf carts?|carts?)\b/,
  car: /\b(?:cars?|sedans?|coupes?|convertible)\b/,
  truck: /\b(?:trucks?|pickups?)\b/,
  suv: /\bsuvs?\b/,
  van: /\b(?:vans?|minivans?)\b/,
  motorcycle: /\b(?:motorcycles?|bikes?|motos?)\b/,
  boat: /\b(?:boats?|pontoons?|lanchas?)\b/,
  rv: /\b(?:rvs?|campers?|motorhomes?|trailers?)\b/,
};
const ANY_KIND_NOUN = new RegExp(
  Object.values(KIND_NOUNS)
    .map((re) => re.source)
    .join("|"),
);

/**
 * Reads year, make and model from one customer message. Returns null when the message says
 * nothing about a vehicle. Negated mentions ("not a honda") are skipped; the first remaining make
 * wins, and the words right after it become the model.
 */
export function parseVehicle(text: string, options: ParseVehicleOptions = {}): VehicleMention | null {
  const maxYear = options.maxYear ?? new Date().getFullYear() + 1;
  return readVehicle(text, {
    maxYear,
    yearExpected: options.yearExpected === true,
    kindContext: options.kindContext,
  });
}

/** {@link ParseVehicleOptions} with the defaults applied. */
interface VehicleQuestion {
  maxYear: number;
  yearExpected: boolean;
  kindContext: ReadonlySet<ItemType> | undefined;
}

/** Every turn reads every message again (see core/memo.ts); the kinds seen are part of the question. */
const readVehicle = rememberByTextAnd(
  vehicleIn,
  ({ maxYear, yearExpected, kindContext }) =>
    `${maxYear} ${yearExpected} ${kindContext ? [...kindContext].sort().join(",") : ""}`,
);

function vehicleIn(
  text: string,
  { maxYear, yearExpected, kindContext }: VehicleQuestion,
): VehicleMention | null {
  const folded = foldText(text);
  const tokens = tokenize(folded);
  let make: MakeEntry | null = null;
  let model: ModelEntry | null = null;
  let mentionAt = -1;
  let mentionEnd = -1;
  let modelKnown = false;

  for (let i = 0; i < tokens.length && !make; i++) {
    const token = tokens[i] as Token;
    if (isNegatedAt(folded, token.start)) continue;
    const exact = lookup(tokens, i, MAKE_INDEX);
    const [candidate, span] = exact ?? [fuzzyMake(token), 1];
    if (!candidate) continue;
    const after = modelAfter(candidate, folded, tokens, i + span);
    if (candidate.weak && !after.known) {
      const kindSeen = kindContext?.has(candidate.kind) || KIND_NOUNS[candidate.kind].test(folded);
      const rival = MODEL_OF_OTHER.get(token.key);
      const yearBefore =
        FOUR_DIGIT_YEAR.test(tokens[i - 1]?.key ?? "") || /^\d\d$/.test(tokens[i - 1]?.key ?? "");
      const capitalized = /^[A-Z]/.test(text.slice(token.start, token.start + 1));
      if (!kindSeen && rival && rival !== candidate) {
        if (!(yearBefore || capitalized || ANY_KIND_NOUN.test(folded))) continue;
        make = rival;
        model = MODEL_INDEX.get(rival)?.get(token.key) ?? null;
        modelKnown = true;
        mentionAt = i;
        mentionEnd = i + span;
        break;
      }
      if (!kindSeen && !yearBefore && !capitalized) continue;
    }
    make = candidate;
    model = after.model;
    modelKnown = after.known;
    mentionAt = i;
    mentionEnd = i + span + after.span;
  }

  if (!make) {
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as Token;
      const before = tokens[i - 1]?.key ?? "";
      // "our golf cart" is not a Volkswagen.
      const cart = /^(?:cart|carts|course|club|ball|balls)$/.test(tokens[i + 1]?.key ?? "");
      // After a year or "my"/"our"/"una" (past an "old" or "classic"), or right before a year.
      const owner = /^(?:(?:19|20)\d\d|\d\d|my|our|mi|una|un|nuestra)$/;
      const adjective = /^(?:old|new|classic|vintage|little|lifted)$/.test(before);
      const yearAfter = /^(?:19|20)\d\d$/.test(tokens[i + 1]?.key ?? "");
      const owned = owner.test(before) || (adjective && owner.test(tokens[i - 2]?.key ?? "")) || yearAfter;
      const guarded = owned && !cart ? lookup(tokens, i, GUARDED_MODEL_ONLY) : null;
      const hit = lookup(tokens, i, MODEL_ONLY) ?? guarded;
      if (!hit?.[0] || isNegatedAt(folded, token.start)) continue;
      make = hit[0].make;
      model = hit[0].model;
      modelKnown = true;
      mentionAt = i;
      mentionEnd = i + hit[1];
      break;
    }
  }

  // "my harley redone. 2012 Electra Glide": the make's own model, named further on.
  if (make && !model) {
    const models = MODEL_INDEX.get(make);
    for (let i = mentionEnd; models && i < tokens.length && !model; i++) {
      const hit = lookup(tokens, i, models);
      if (!hit) continue;
      model = hit[0];
      modelKnown = true;
      mentionEnd = i + hit[1];
    }
  }
  let modelName = model?.name ?? null;
  if (model && modelKnown) {
    const trim = trimAfter(folded, tokens, mentionEnd);
    if (trim.span > 0) {
      modelName = [model.name, ...trim.words].join(" ");
      mentionEnd += trim.span;
    }
  }
  const year = findModelYear(folded, tokens, {
    maxYear,
    mentionAt,
    mentionEnd,
    modelKnown,
    yearExpected,
  });
  if (!make && year === null) return null;
  return {
    year,
    make: make?.name ?? null,
    model: modelName,
    kind: model?.kind ?? make?.kind ?? null,
    kindFromModel: Boolean(model?.kind),
  };
}
