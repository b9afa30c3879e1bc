import { rememberByText } from "../memo.js";
import { foldText } from "./text-match.js";

// When the customer wants to be reached ("call me after 5pm", "mornings are best"): a time of day
// said next to a way of reaching them. A time on its own ("drop it off at 9am") is not a preference.

// Hours only (1 or 2 digits, not part of a longer number): "2018 to 2020" is not "18 to 20".
const CLOCK = String.raw`(?<![\d:,.$-])\d{1,2}(?::\d{2})?(?![\d,])\s?(?:am|pm|a\.m\.|p\.m\.)?`;
const TIME_OF_DAY = new RegExp(
  String.raw`\b(?:${[
    String.raw`(?:after|before|around|by|from|between|anytime after|any time after|past) ${CLOCK}(?:\s?(?:-|to|and)\s?${CLOCK})?`,
    String.raw`${CLOCK}\s?(?:-|to)\s?${CLOCK}`,
    String.raw`\d{1,2}(?::\d{2})?\s?(?:am|pm)`,
    String.raw`(?:in the |on )?(?:mornings?|afternoons?|evenings?|nights?|weekends?|weekdays?)`,
    "(?:after|before) (?:work|school|noon|lunch)",
    "(?:on|during) my (?:lunch(?: break)?|break)",
    "any ?time",
    "(?:during|in) the day|daytime|days",
    "today|tomorrow|tonight|(?:this|tomorrow) (?:morning|afternoon|evening)",
    "hoy|manana|esta (?:tarde|noche)",
    String.raw`(?:despues|antes) de las ${CLOCK}`,
    "(?:por|en) la (?:manana|tarde|noche)",
    "(?:despues|antes) del trabajo",
  ]
    .map((part) => `(?:${part})`)
    .join("|")})(?![\w-])`,
  "g",
);
const REACH_CUE =
  /\b(?:(?:is|are|work|works) (?:best|better|good|great|ideal|easiest|fine|ok|okay)|best time|home|around|off work|call|calls|text|texts|txt|reach|contact|ring|phone|email|available|free|best time|good time|answer|pick up|llam\w*|contact\w*|escrib\w*|disponible|mensajes?|textos?|whatsapp|prefiero)\b/;
const SENTENCES = /[^.!?\n]+/g;
const UNAVAILABLE =
  /\b(?:can'?t|cannot|cant|can not|won'?t|don'?t|do not|not) (?:answer|pick up|take|get to|talk|be reached|available)[^.!?]*$|\bno puedo\b[^.!?]*$/;

/** The customer's words for when to reach them, or null; the latest sentence that says one wins. */
export const findContactTime: (text: string) => string | null = rememberByText(contactTimeIn);

function contactTimeIn(text: string): string | null {
  const folded = foldText(text);
  let found: string | null = null;
  for (const sentence of folded.matchAll(SENTENCES)) {
    if (!REACH_CUE.test(sentence[0])) continue;
    TIME_OF_DAY.lastIndex = 0;
    // "can't answer calls during the day" says when NOT to call.
    const matches = [...sentence[0].matchAll(TIME_OF_DAY)].filter(
      (m) => !UNAVAILABLE.test(sentence[0].slice(Math.max(0, (m.index ?? 0) - 35), m.index)),
    );
    const first = matches[0];
    if (!first) continue;
    // "weekdays after 3pm": times side by side are one answer.
    let last = first;
    for (const next of matches.slice(1)) {
      const gap = sentence[0].slice((last.index ?? 0) + last[0].length, next.index);
      if (!/^(?:\s|,|and|or|y)*$/.test(gap)) break;
      last = next;
    }
    const start = (sentence.index ?? 0) + (first.index ?? 0);
    const end = (sentence.index ?? 0) + (last.index ?? 0) + last[0].length;
    // Folding keeps lengths for the Latin letters people type, so the original words can be quoted.
    found = text.slice(start, end).trim();
  }
  return found;
}
