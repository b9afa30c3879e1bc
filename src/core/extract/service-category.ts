import type { ItemType, ServiceCategory } from "../lead-summary.js";
import { rememberByText } from "../memo.js";
import { foldText, isNegatedAt } from "./text-match.js";

/** A seat mention is repair or reupholstery depending on the rest of the message. */
type ServiceWord = ServiceCategory | "seat";

/**
 * Service words on folded text (lowercase, accents stripped). Order breaks ties at the same index:
 * "techo convertible" is a convertible top before it is a headliner ("techo").
 */
const SERVICE_PATTERNS: ReadonlyArray<readonly [ServiceWord, RegExp]> = [
  [
    "full_interior",
    /\b(?:(?:full|whole|entire|complete|total|all the)(?: custom| new| leather)? (?:interior|upholstery|inside)|custom interior|interior (?:completo|entero)|todo el interior|(?:full|complete) (?:re-?upholster\w*|redo|resto\w*)|everything inside)\b/g,
  ],
  [
    "convertible_top",
    /\b(?:convertible\b[^.?!\n]{0,25}\btops?|(?:soft|rag|canvas) ?tops?|capota|techo (?:convertible|de lona))\b/g,
  ],
  [
    "headliner",
    /\b(?:head ?lin(?:er|ers|ning|ing|ner|ners|ier)|hed ?liners?|roof ?lin(?:er|ing)|roof (?:fabric|cloth|material)|ceiling (?:fabric|liner|cloth|material)|(?:forro|tela) del techo|techo)\b/g,
  ],
  ["carpet", /\b(?:carpets?|carpeting|floor ?mats?|alfombras?|tapetes?)\b/g],
  [
    "door_panels",
    /\b(?:door ?panels?|door cards?|door (?:trim|upholstery|inserts?)|panel(?:es)? de (?:las? )?puertas?|puertas)\b/g,
  ],
  ["dashboard", /\b(?:dash ?boards?|dash(?: pad| cover)?|tablero)\b/g],
  ["steering_wheel", /\b(?:steering wheels?|wheel (?:wrap|cover)|volante)\b/g],
  [
    "motorcycle_seat",
    /\b(?:(?:motorcycle|motorbike|bike|harley|moto|scooter|sportster|softail) seats?|asiento de (?:la |mi )?moto|solo seat|saddle)\b/g,
  ],
  [
    "cushions_covers",
    /\b(?:cushions?|cojin(?:es)?|(?:custom|new) seat covers?|(?:boat|custom|new|cushion|bench|rv|car|bike) covers?|fundas?|bimini(?: tops?)?|boat seats?|dinette|mattress(?:es)?|(?:throw )?pillows?)\b/g,
  ],
  [
    "furniture",
    /\b(?:couch(?:es)?|sofas?|loveseats?|love seats?|sectionals?|recliners?|arm ?chairs?|(?<!captain'?s? )chairs?|ottomans?|headboards?|settees?|stools?|furniture|sillon(?:es)?|sillas?|muebles?)\b/g,
  ],
  [
    "other",
    /\b(?:arm ?rests?|center console|console (?:lid|cover)|sun ?visors?|visors?|trunk (?:liner|lining)|tonneau(?: covers?)?|kick panels?|seat ?belts?|package tray)\b/g,
  ],
  // "seat belt" is listed above and must not read as a seat.
  ["seat", /\b(?:seats?(?! ?belts?)|seating|asientos?|bolsters?|captain'?s? chairs?)\b/g],
  ["seat_reupholstery", /\b(?:re-?upholst\w*|reupolst\w*|reuphost\w*|retapiz\w*|tapiz\w*|tapiceria)\b/g],
];

const REUPHOLSTER_CUE =
  /\b(?:re-?uphol\w*|reupolst\w*|reuphost\w*|re-?cover\w*|re-?do(?:ne)?|redo them|new (?:upholstery|fabric|leather|vinyl|covers?)|retapiz\w*|tapiz\w*|tapiceria|(?:all|both) (?:the |my )?seats|custom)\b/;
/** Damage words; with "leather" or "vinyl" and no named part they still mean a seat repair. */
const DAMAGE_CUE =
  /\b(?:torn|tore|tears?|tearing|rips?|ripped|riped|rippd|holes?|split(?:ting)?|crack(?:s|ed|ing)?|burn(?:s|t|ed)?|worn|broken|busted|rot[oa]s?|rasgad[oa]s?|descosid[oa]s?|damaged|coming apart|seams?)\b/;
const MATERIAL = /\b(?:leather|vinyl|upholstery|cloth|fabric|piel|vinil|tela)\b/;
const MATERIAL_CHANGE = /\b(?:want|go to|going to|switch|change|convert|upgrade|instead|cambiar|quiero)\b/;
/** Words that announce a correction: "actually it's the headliner, not the seat". */
export const CORRECTION_CUE =
  /\b(?:actually|sorry|i meant|correction|instead|scratch that|my bad|not the|en realidad|perdon|quise decir|mejor dicho)\b/;

/** One service word found in a message. */
export interface ServiceMention {
  category: ServiceCategory;
  index: number;
}

/** A job done in the past ("had the seats done back in 2019"): history, not what is asked for now. */
const PAST_JOB =
  /\b(?:had|got|did)\b[^.!?;]*\b(?:done|redone|fixed|replaced|recovered|reupholstered|installed)\b[^.!?;]*\b(?:back in|ago|last (?:year|time)|in (?:19|20)\d\d|years back)\b|\b(?:was|were) (?:done|redone|fixed|replaced) (?:back in|in (?:19|20)\d\d|years ago)/;
const CLAUSES = /[^.!?;]+[.!?;]*/g;

/** Every non-negated service mention in `text`, in order (seat words resolved to repair/reupholstery). */
export const serviceMentions: (text: string) => ServiceMention[] = rememberByText(mentionsIn);

function mentionsIn(text: string): ServiceMention[] {
  // Clauses about past work are blanked out (same length, so indexes hold).
  const folded = foldText(text).replace(CLAUSES, (clause) =>
    PAST_JOB.test(clause) ? " ".repeat(clause.length) : clause,
  );
  const reupholster = REUPHOLSTER_CUE.test(folded);
  const found: Array<ServiceMention & { rank: number }> = [];
  SERVICE_PATTERNS.forEach(([word, pattern], rank) => {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(folded); match; match = pattern.exec(folded)) {
      if (isNegatedAt(folded, match.index)) continue;
      const category: ServiceCategory =
        word === "seat" ? (reupholster ? "seat_reupholstery" : "seat_repair") : word;
      found.push({ category, index: match.index, rank });
    }
  });
  if (found.length === 0 && DAMAGE_CUE.test(folded) && MATERIAL.test(folded)) {
    found.push({ category: "seat_repair", index: folded.search(DAMAGE_CUE), rank: 0 });
  }
  return found
    .sort((a, b) => a.index - b.index || a.rank - b.rank)
    .map(({ category, index }) => ({ category, index }));
}

/** True when the message contains service or damage words (used to pick the customer's own words). */
export function mentionsService(text: string): boolean {
  const folded = foldText(text);
  return (
    serviceMentions(text).length > 0 ||
    DAMAGE_CUE.test(folded) ||
    REUPHOLSTER_CUE.test(folded) ||
    // "they're cloth now, want to go to leather": a change of material is the job too.
    (MATERIAL.test(folded) && MATERIAL_CHANGE.test(folded))
  );
}

/**
 * The job the customer asked for. The first job named stands, because later messages usually add
 * detail ("also the carpet"); a later message replaces it only when it corrects ("actually it's the
 * headliner") or refines a seat repair into a reupholstery. A whole-interior request wins outright.
 */
export function detectServiceCategory(texts: readonly string[]): ServiceCategory | null {
  let category: ServiceCategory | null = null;
  for (const text of texts) {
    const mentions = serviceMentions(text);
    if (mentions.some((m) => m.category === "full_interior")) return "full_interior";
    const first = mentions[0]?.category;
    if (!first) continue;
    const refines = category === "seat_repair" && first === "seat_reupholstery";
    if (category === null || refines || CORRECTION_CUE.test(foldText(text))) category = first;
  }
  return category;
}

/**
 * Every job the customer asked for, in the order asked ("carpet ... and also the headliner ... oh
 * and the door panels"), each fitted to the item. A correction replaces what came before it, as in
 * detectServiceCategory; a full interior covers everything.
 */
export function requestedServices(texts: readonly string[], item: ItemType | null): ServiceCategory[] {
  let asked: ServiceCategory[] = [];
  for (const text of texts) {
    const mentions = serviceMentions(text).map((m) => adjustForItem(m.category, item) ?? m.category);
    if (mentions.length === 0) continue;
    asked = CORRECTION_CUE.test(foldText(text)) ? mentions : [...asked, ...mentions];
  }
  if (asked.includes("full_interior")) return ["full_interior"];
  // A torn seat "reupholstered" is one seat job, not two.
  const seat = asked.find((c) => c === "seat_repair" || c === "seat_reupholstery");
  return [...new Set(asked.map((c) => (c === "seat_repair" || c === "seat_reupholstery" ? (seat ?? c) : c)))];
}

/**
 * Fits the category to the item: a torn seat on a motorcycle is a motorcycle seat, on a boat or RV
 * it is cushions, on a couch it is furniture. A furniture item with no job named is still furniture
 * work (that is all an upholstery shop does to a couch).
 */
export function adjustForItem(
  category: ServiceCategory | null,
  item: ItemType | null,
): ServiceCategory | null {
  const seatWork = category === "seat_repair" || category === "seat_reupholstery";
  if (item === "motorcycle" && (seatWork || category === "cushions_covers")) return "motorcycle_seat";
  // Boat and RV seating is cushions, including the RV's couch and dinette.
  if ((item === "boat" || item === "rv") && (seatWork || category === "furniture")) return "cushions_covers";
  if (item === "furniture" && (seatWork || category === "cushions_covers" || category === null))
    return "furniture";
  return category;
}
