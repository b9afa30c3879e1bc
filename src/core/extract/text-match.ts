/**
 * Small text helpers shared by the rule-based extractors (contact, vehicle, summary rules).
 * Matching runs on a folded copy of the text that has the SAME length as the original, so a match
 * index can slice the customer's own words (casing, accents) back out of the original.
 */

const ACCENTS: Readonly<Record<string, string>> = {
  á: "a",
  à: "a",
  ä: "a",
  â: "a",
  ã: "a",
  é: "e",
  è: "e",
  ë: "e",
  ê: "e",
  í: "i",
  ì: "i",
  ï: "i",
  î: "i",
  ó: "o",
  ò: "o",
  ö: "o",
  ô: "o",
  õ: "o",
  ú: "u",
  ù: "u",
  ü: "u",
  û: "u",
  ñ: "n",
  ç: "c",
  "\u2019": "'",
  "\u2018": "'",
  "\u02bc": "'",
  "\u2013": "-",
  "\u2014": "-",
};

const ACCENTED = new RegExp(`[${Object.keys(ACCENTS).join("")}]`, "g");

/** Lowercases and strips common accents, keeping every character at its index. */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower.replace(ACCENTED, (char) => ACCENTS[char] ?? char);
  // A few characters lowercase to two code units (e.g. U+0130); go char by char so indexes hold.
  let out = "";
  for (const char of text) {
    const mapped = ACCENTS[char.toLowerCase()] ?? char.toLowerCase();
    out += mapped.length === char.length ? mapped : char;
  }
  return out;
}

/** A negation right before a match ("don't call", "not the seat", "no llamen") cancels it. */
const NEGATION_BEFORE =
  /(?:\b(?:don'?t|do not|dont|doesn'?t|not|never|no|can'?t|cannot|rather not|nunca)\s+(?:[a-z']+\s+)?)$/;

/** True when the words just before `index` in folded `text` negate what follows. */
export function isNegatedAt(folded: string, index: number): boolean {
  return NEGATION_BEFORE.test(folded.slice(Math.max(0, index - 24), index));
}

/** Title-cases words the customer typed all lower- or all upper-case; keeps deliberate casing. */
export function tidyCase(words: string): string {
  const trimmed = words.trim().replace(/\s+/g, " ");
  const letters = trimmed.replace(/[^\p{L}]/gu, "");
  if (letters !== letters.toLowerCase() && letters !== letters.toUpperCase()) return trimmed;
  return trimmed
    .toLowerCase()
    .replace(/(^|[\s'-])(\p{L})/gu, (_all, sep: string, first: string) => sep + first.toUpperCase());
}

/**
 * Makes customer words safe to embed inside one sentence of the owner summary: one line, no
 * sentence-ending punctuation (so the 2-3 sentence shape holds), bounded length.
 */
export function asClause(text: string, maxLength = 160): string {
  const flat = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters never belong in a summary
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ")
    .replace(/[.!?…]+(?=\s|$)/g, "")
    .replace(/[.!?…]+(?=["')\]])/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (flat.length <= maxLength) return flat;
  const cut = flat.slice(0, maxLength);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:-]+$/, "")}…`;
}
