import type { ItemType } from "../lead-summary.js";
import { rememberByText } from "../memo.js";
import { foldText, isNegatedAt } from "./text-match.js";

/** One word in a message that names the kind of thing to work on. */
export interface ItemTypeMention {
  type: ItemType;
  /** Index in the message, so callers can keep the order customers said things in. */
  index: number;
  /** The words as the customer wrote them ("golf cart", "sofa"). */
  text: string;
}

/** Words per item type, on folded text (lowercase, accents stripped), English and basic Spanish. */
const ITEM_PATTERNS: ReadonlyArray<readonly [ItemType, RegExp]> = [
  [
    "furniture",
    // A "captain's chair" is a van or RV seat, and "wheelchair" is one word, so neither is furniture.
    /\b(?:couch(?:es)?|sofas?|loveseats?|love seats?|sectionals?|recliners?|arm ?chairs?|(?<!captain'?s? )chairs?|ottomans?|headboards?|settees?|chaise|futons?|bar ?stools?|stools?|furniture|sillon(?:es)?|sillas?|muebles?)\b/g,
  ],
  [
    "boat",
    /\b(?:boats?|pontoons?|jet ?skis?|wave ?runners?|yachts?|sail ?boats?|bowriders?|runabouts?|lanchas?|botes?|barcos?|bimini|v-?berth|skiffs?|catamarans?|cuddy)\b/g,
  ],
  [
    "rv",
    /\b(?:rvs?|r\.v|motor ?homes?|campers?|travel trailers?|fifth wheel|5th wheel|toy haulers?|casa rodante)\b/g,
  ],
  [
    "motorcycle",
    /\b(?:motorcycles?|motorbikes?|motor cycles?|bikes?|scooters?|motos?|motocicletas?|trikes?|dirt ?bikes?|choppers?)\b/g,
  ],
  [
    "other",
    /\b(?:golf carts?|tractors?|atvs?|utvs?|side[- ]by[- ]sides?|snowmobiles?|airplanes?|aircraft|planes?|wheelchairs?|forklifts?|(?:lawn )?mowers?|horse saddles?)\b/g,
  ],
  ["truck", /\b(?:trucks?|pick-?ups?|camionetas?|trocas?)\b/g],
  ["suv", /\b(?:suvs?|s\.u\.v)\b/g],
  ["van", /\b(?:vans?|mini-?vans?)\b/g],
  [
    "car",
    /\b(?:cars?|sedans?|coupes?|hatchbacks?|convertibles?|carro|coche|wagons?|roadsters?|hot ?rods?)\b/g,
  ],
];

/** Item types a non-car word settles on its own; "car"/"truck" words are weaker hints. */
export const SPECIFIC_ITEM_TYPES: ReadonlySet<ItemType> = new Set([
  "furniture",
  "boat",
  "rv",
  "motorcycle",
  "other",
]);

/** Every non-negated item-type word in `text`, in order of appearance. */
export const itemTypeMentions: (text: string) => ItemTypeMention[] = rememberByText(itemMentionsIn);

function itemMentionsIn(text: string): ItemTypeMention[] {
  const folded = foldText(text);
  const mentions: ItemTypeMention[] = [];
  for (const [type, pattern] of ITEM_PATTERNS) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(folded); match; match = pattern.exec(folded)) {
      if (!isNegatedAt(folded, match.index)) {
        mentions.push({
          type,
          index: match.index,
          text: text.slice(match.index, match.index + match[0].length),
        });
      }
    }
  }
  return mentions.sort((a, b) => a.index - b.index);
}

/**
 * The item type the customer's words point at, latest message first: a specific kind (boat,
 * couch, RV, motorcycle, golf cart) beats a generic "car"/"truck" said in passing ("I'll bring the
 * couch in my truck"), and a boat or RV beats the furniture inside it. Returns null when no message
 * names a kind.
 */
export function detectItemType(texts: readonly string[]): ItemType | null {
  let specific: ItemType | null = null;
  let generic: ItemType | null = null;
  for (const text of texts) {
    const mentions = itemTypeMentions(text);
    // "the couch in our fifth wheel" is RV work: furniture inside a boat or RV is part of it.
    const inVessel = mentions.some((m) => m.type === "rv" || m.type === "boat");
    for (const { type } of mentions) {
      if (type === "furniture" && inVessel) continue;
      if (SPECIFIC_ITEM_TYPES.has(type)) specific = type;
      else generic = type;
    }
  }
  return specific ?? generic;
}
