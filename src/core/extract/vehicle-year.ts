/**
 * Model years in customer messages: "2012", "'87", "05 civic". Split from vehicle.ts, which finds
 * the make and model these years sit next to.
 */

/** A word of a message, as vehicle parsing sees it. */
export interface VehicleToken {
  text: string;
  /** Letters and digits only, so "F-150", "f150" and "f 150" (joined) compare equal. */
  key: string;
  start: number;
}

function yearValue(digits: string, maxYear: number): number | null {
  const value = Number(digits);
  if (digits.length === 4) return value >= 1900 && value <= maxYear ? value : null;
  return toFourDigitYear(value, maxYear);
}

/** `'87` -> 1987, `05` -> 2005: two-digit years up to next year's are this century. */
export function toFourDigitYear(twoDigits: number, maxYear: number): number {
  return twoDigits <= maxYear % 100 ? 2000 + twoDigits : 1900 + twoDigits;
}

/** A token that could be a four-digit model year. */
export const FOUR_DIGIT_YEAR = /^(?:19|20)\d\d$/;
const NOT_MODEL_YEAR_BEFORE = /\b(?:since|in|from|back in|around|until|til|desde|en)\s+$/;
const PRICE_BEFORE = /\$\s*$/;
const PRICE_AFTER = /^\s*(?:dollars|bucks|usd|k\b)/;
const NOT_A_YEAR_AFTER = /^\s*(?:miles|mi\b|km|mph|hours|hrs|%|percent|x\b|inch|")/;

/** Where the make and model were found, and what the assistant asked. */
export interface YearContext {
  /** Newest year accepted; also the two-digit pivot. */
  maxYear: number;
  /** Token index of the make (or model-only mention), or -1. */
  mentionAt: number;
  /** Token index just after the make and model. */
  mentionEnd: number;
  /** The model is a known one, so "silverado 05" reads as a year (an unknown word might not be a model). */
  modelKnown: boolean;
  /** The assistant just asked for the year. */
  yearExpected: boolean;
}

/**
 * A model year only where it reads as one: next to the make or model ("2012 civic", "civic 2012",
 * "'87 chevy"), as a short answer to "what year?", or "'87" style. Prices and "since 2015" are not.
 */
export function findModelYear(
  folded: string,
  tokens: readonly VehicleToken[],
  context: YearContext,
): number | null {
  const { maxYear, mentionAt, mentionEnd, modelKnown, yearExpected } = context;
  const hasMention = mentionAt >= 0;
  const shortAnswer = tokens.length <= 6;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as VehicleToken;
    if (!/^\d{2}$|^\d{4}$/.test(token.text)) continue;
    const before = folded.slice(Math.max(0, token.start - 12), token.start);
    const after = folded.slice(token.start + token.text.length, token.start + token.text.length + 10);
    // Prices, phone-number groups ("737 555 2010"), dates and mileage are not model years.
    if (PRICE_BEFORE.test(before) || PRICE_AFTER.test(after) || NOT_A_YEAR_AFTER.test(after)) continue;
    if (/[\d.,/-]$|(?:^|[^a-z0-9-])\d+[\s-]+$/.test(before) || /^[.,/]\d|^-\d/.test(after)) continue;
    const value = yearValue(token.text, maxYear);
    if (value === null) continue;
    const nextToMention = hasMention && (i === mentionAt - 1 || i === mentionAt - 2 || i === mentionEnd);
    const apostrophe = before.endsWith("'") && token.text.length === 2;
    if (token.text.length === 2) {
      const afterKnownModel = modelKnown && i === mentionEnd;
      if (apostrophe || i === mentionAt - 1 || afterKnownModel || (yearExpected && tokens.length <= 4))
        return value;
      continue;
    }
    if (nextToMention || yearExpected || (shortAnswer && !NOT_MODEL_YEAR_BEFORE.test(before))) return value;
    if (hasMention && !NOT_MODEL_YEAR_BEFORE.test(before)) return value;
  }
  return null;
}
