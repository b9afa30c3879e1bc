import { rememberByText, rememberByTextAnd } from "../memo.js";
import { foldText, tidyCase } from "./text-match.js";
import { parseVehicle } from "./vehicle.js";

/**
 * Field extractors for the rule-based summarizer: each reads ONE customer message and returns the
 * customer's own words for that field, or null. The caller applies "latest statement wins".
 */

/** Words that follow "I'm" / "this is" but are not names ("I'm looking", "this is urgent"). */
const NOT_A_NAME = new Set(
  (
    "a an the and or but so just not no yes yeah yep nope ok okay sure here there in on at from for to with " +
    "about of by into out over up down back off home away still also very really pretty kind sort actually " +
    "currently located based near around interested wondering trying looking hoping thinking curious asking " +
    "needing wanting going gonna calling texting writing reaching messaging emailing glad happy sorry sad " +
    "tired busy free available ready good great fine well new old done finished open closed sure certain " +
    "afraid aware able unable local nearby close far late early first last next this that it its it's my " +
    "your our their his her they we you he she me us them i im is are was were be been have has had do does " +
    "did will would can could should might must need needs want wants get got hi hello hey hola thanks thank " +
    "thx cheers regards best bye again much lot man bro buddy guys sir maam ma'am dude friend folks team all " +
    "everyone ignore system assistant admin administrator previous instructions instruction set true false " +
    "handoff ready customer owner shop upholstery seat seats truck car boat bike motorcycle couch sofa chair " +
    "interested calling urgent asap today tomorrow tonight anytime whenever cell phone number email mail " +
    "text call name names contact info address price quote estimate cost a-ok de en el la un una muy bien aqui " +
    "interesado interesada buscando llamando escribiendo gracias hola listo lista cliente please pls plz " +
    "hoping retired disabled veteran pregnant new owner mom dad wife husband son daughter bud buddy boss fam " +
    "yall y'all alot anyone someone somebody anybody nobody everybody myself monday tuesday wednesday " +
    "thursday friday saturday sunday cel celular correo telefono numero maybe later nah pass nevermind " +
    "never mind sometime soon now sorry perdon disculpa disculpe lo siento oops whoops oh ah um uh umm hmm " +
    "lol haha wait yea ya yup k kk si claro bueno pues oye ay ok ugh wow damn dang shoot well anyway btw also " +
    "truck car van suv jeep boat rv camper trailer bike cart golf couch sofa headliner carpet dash year model " +
    "make vin leather vinyl cloth fabric foam ripped torn cracked broken sagging worn faded after before " +
    "between anytime any mornings evenings afternoons weekends weekdays noon lunch tonite asap perfect " +
    "awesome cool nice sweet gotcha alright right correct exactly true yes nope yup sounds txt pics pic photo " +
    "photos picture pictures listo perfecto vale okey idk idc lol lmao tbh nvm wrong chat if max min " +
    "tengo necesito quiero busco tienen hacen puedo estoy son era fue tapizan tapizar gotta typo " +
    "oops mistake mistyped misspelled correction whatsapp telegram signal dm instagram insta facebook " +
    "messenger tiktok"
  ).split(" "),
);

const NAME_STRONG =
  /\b(?:my name is|my name's|name is|name's|mi nombre es|me llamo|my names)\s+([a-z][a-z'-]*)(?:[ \t]+([a-z][a-z'-]*))?(?:[ \t]+([a-z][a-z'-]*))?/dg;
const NAME_WEAK =
  /(?:^|[\s,.!])(?:i'?m|i am|this is|soy|call me|^it'?s)\s+([a-z][a-z'-]*)(?:[ \t]+([a-z][a-z'-]*))?/dg;
const NAME_HERE = /^(?:(?:hi|hey|hello|hola)[\s,!]+)?([a-z][a-z'-]*)(?:[ \t]+([a-z][a-z'-]*))?\s+here\b/d;
const SIGN_OFF =
  /(?:^|[\s,.!])(?:thanks|thank you|thx|ty|cheers|regards|best|gracias|saludos)[\s,!.-]+([a-z][a-z'-]*)(?:[ \t]+([a-z][a-z'-]*))?[\s.!]*$/d;
/** A message that opens with a name and then the contact: "Janet - 512-555-0145". */
const NAME_THEN_CONTACT =
  /(?:^(?:ok(?:ay)?|sure|yes|yeah|yep|oh|ah|um|sorry|and|also)[\s,.!-]+|^|[.!?]\s+)([a-z][a-z'-]*)(?:[ \t]+([a-z][a-z'-]*))?(?:\s*[-,:~]\s*|\.\s+|\s+)(?=\+?\(?\d|[a-z0-9._%+-]+@|(?:text|call|email|reach) me\b|my (?:number|cell|phone|email)\b)/d;
/** A name right after the contact at the end: "reach me at 737-555-0110, Greg", "... ask for Rick". */
const NAME_AFTER_CONTACT =
  /(?:\d|@[a-z0-9.-]+\.[a-z]{2,})\s*[,.-]\s*(?:ask for\s+|this is\s+)?([a-z][a-z'-]*)(?:[ \t]+([a-z][a-z'-]*))?[\s.!]*$/d;
/** "Derek Sims actually, ...": the full name, correcting a first name given before. */
const NAME_CORRECTED = /^([a-z][a-z'-]*)(?:[ \t]+([a-z][a-z'-]*))?,?\s+actually\b/d;
/** "Paula Grant, I'm the fleet manager": a name leading a message that goes on about the person. */
const NAME_LEADS = /^([a-z][a-z'-]*)[ \t]+([a-z][a-z'-]*)\s*,\s*(?=i'?m\b|i am\b|this is\b|here\b|and\b)/d;
const ASK_FOR = /\bask for\s+([a-z][a-z'-]*)(?:[ \t]+([a-z][a-z'-]*))?/d;
const DASH_SIGN = /(?:^|\s)[-~]\s*([a-z][a-z'-]*)(?:[ \t]+([a-z][a-z'-]*))?[\s.!]*$/d;
/** What follows a name the customer finished: punctuation, the end, or "and my number is ...". */
const NAME_ENDS = /^\s*(?:$|[,.!;:)\n-]|and\b|y\b|here\b|from\b|with\b|my\b|mi\b|\d|\+)/;

function isNameWord(word: string | undefined): word is string {
  return word !== undefined && word.length >= 2 && !NOT_A_NAME.has(word) && !/(?:ing|ed|ly)$/.test(word);
}

/**
 * Reads a name from one match. A strong cue ("my name is") takes the word as given; a weak one
 * ("I'm", "this is") needs a capital letter or a finished phrase ("im maria, ...") so that
 * "I'm fixing to sell it" never becomes a name.
 */
function nameFromMatch(text: string, folded: string, match: RegExpExecArray, strong: boolean): string | null {
  const [, first, second, third] = match;
  const [firstAt, secondAt, thirdAt] = [match.indices?.[1], match.indices?.[2], match.indices?.[3]];
  if (!isNameWord(first) || !firstAt) return null;
  const capital = (at: [number, number] | undefined) => !!at && /^\p{Lu}/u.test(text.slice(at[0]));
  const takeSecond =
    isNameWord(second) &&
    (capital(secondAt) || (!capital(firstAt) && NAME_ENDS.test(folded.slice(secondAt?.[1]))));
  // "me llamo Rosa Elena Gutiérrez": a third capitalized word belongs to the name too.
  const takeThird = takeSecond && isNameWord(third) && capital(thirdAt) && capital(secondAt);
  const end = takeThird && thirdAt ? thirdAt[1] : takeSecond && secondAt ? secondAt[1] : firstAt[1];
  if (!strong && !capital(firstAt) && !NAME_ENDS.test(folded.slice(end))) return null;
  const name = text.slice(firstAt[0], end);
  // "its a 2012, honda civic" is a vehicle; only "my name is" outweighs that.
  return strong || !parseVehicle(name)?.make ? tidyCase(name) : null;
}

/** The name the customer gives in `text` ("my name is ...", "I'm ...", "... here", sign-offs). */
export const findName: (text: string) => string | null = rememberByText(nameIn);

function nameIn(text: string): string | null {
  const folded = foldText(text);
  let name: string | null = null;
  for (const [pattern, strong] of [
    [NAME_STRONG, true],
    [NAME_WEAK, false],
  ] as const) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(folded); match; match = pattern.exec(folded)) {
      name = nameFromMatch(text, folded, match, strong) ?? name;
    }
    if (name) return name;
  }
  for (const pattern of [
    NAME_HERE,
    NAME_THEN_CONTACT,
    NAME_CORRECTED,
    NAME_LEADS,
    ASK_FOR,
    NAME_AFTER_CONTACT,
    SIGN_OFF,
    DASH_SIGN,
  ]) {
    const match = pattern.exec(folded);
    const found = match && nameFromMatch(text, folded, match, false);
    if (found) return found;
  }
  return null;
}

const COUPLE =
  /(?:^|[,.]\s*)(\p{Lu}\p{Ll}+) (?:and|&|y) (\p{Lu}\p{Ll}+)(?: (\p{Lu}\p{Ll}+))?(?=\s*(?:[,.]|$))/u;
const NAME_QUESTION =
  /\bname\b|\bnombre\b|ask for\b|por quien (?:debe )?preguntar|who (?:am i|i'?m) (?:speaking|talking|chatting)|who is this/;
/** Pieces of an answer: punctuation, " - ", phone numbers and emails separate them. */
const ANSWER_SEGMENTS = /[.,;:!?()\n]+|\s[-~]\s|\+?\d[\d\s().-]*\d|\S+@\S+/;
const FILLER = new Set(
  "sure yes yeah yep ok okay its it's it is i'm im i am my name hi hey hello thanks and soy me llamo mi nombre es y".split(
    " ",
  ),
);

/**
 * A bare answer to the assistant asking for a name: "Maria Lopez, 512-555-0123", "sure its dave",
 * "yes original style. Ray, 512...". A capitalized piece wins; otherwise the last name-like piece.
 */
export function nameFromAnswer(text: string, assistantAsked: string): string | null {
  return asksForName(assistantAsked) ? answeredName(text) : null;
}

const asksForName = rememberByText((asked: string) => NAME_QUESTION.test(foldText(asked)));
const answeredName = rememberByText(nameAnswering);

function nameAnswering(text: string): string | null {
  // "Gary and Deb Lindqvist": a couple answers together.
  const couple = COUPLE.exec(text);
  if (couple?.[0] && couple.slice(1).every((w) => !w || isNameWord(foldText(w)))) {
    return couple[0].replace(/^[,.\s]+/, "");
  }
  const candidates: string[] = [];
  for (const segment of text.split(ANSWER_SEGMENTS)) {
    const words = segment.split(/\s+/).filter((word) => word && !FILLER.has(foldText(word)));
    if (words.length === 0 || words.length > 3) continue;
    if (words.every((word) => /^\p{L}[\p{L}'-]*$/u.test(word) && isNameWord(foldText(word)))) {
      candidates.push(words.join(" "));
    }
  }
  const names = candidates.filter((c) => !parseVehicle(c)?.make);
  const pick = names.find((c) => /^\p{Lu}/u.test(c)) ?? names.at(-1);
  return pick ? tidyCase(pick) : null;
}

/**
 * A message that is nothing but a capitalized name ("Ana Ruiz", "Mike."): a late answer to the
 * name question, after the customer answered something else first.
 */
export function bareName(text: string, options: { lowercase: "any" | "one word" | "none" }): string | null {
  return bareNameAs(text, options.lowercase);
}

const bareNameAs = rememberByTextAnd(bareNameIn, (lowercase) => lowercase);

function bareNameIn(text: string, lowercaseWords: "any" | "one word" | "none"): string | null {
  const trimmed = text
    .trim()
    .replace(/[.!]+$/, "")
    .replace(/^(?:mr|mrs|ms|miss|dr)\.?\s+/i, (title) => `${title.trim().replace(/\.?$/, ".")} `);
  const words = trimmed.split(/\s+/);
  // Capitalized, it reads as a name anywhere; in lowercase only where the caller says a name fits.
  const lowercase = lowercaseWords === "any" || (lowercaseWords === "one word" && words.length === 1);
  // "Mary-Beth Ortiz-Delgado", "O'Neil": each part capitalized.
  const shaped = (w: string) =>
    /^(?:Mr|Mrs|Ms|Miss|Dr)\.$/i.test(w) ||
    ((/^\p{Lu}\p{Ll}*(?:[-']\p{Lu}?\p{Ll}+)*$/u.test(w) || (lowercase && /^\p{Ll}[\p{Ll}'-]+$/u.test(w))) &&
      isNameWord(foldText(w)));
  if (words.length > 3 || !words.every(shaped) || words.every((w) => w.endsWith("."))) return null;
  return parseVehicle(trimmed)?.make ? null : tidyCase(trimmed);
}

const WEEKDAY = "(?:mon|tues|wednes|thurs|fri|satur|sun)day";
const MONTH =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const TIMELINE = new RegExp(
  [
    "asap",
    "as soon as (?:possible|you can)",
    "urgent(?:ly)?",
    "right away",
    `this (?:week(?:end)?|month|coming ${WEEKDAY})`,
    `next (?:week(?:end)?|month|spring|summer|fall|winter|${WEEKDAY})`,
    `(?:by|before|this|until) ${WEEKDAY}`,
    "by (?:tomorrow|tonight|the weekend|(?:the )?end of (?:the )?(?:week|month)|" +
      MONTH +
      ` \\d{1,2}(?:st|nd|rd|th)?|the \\d{1,2}(?:st|nd|rd|th)(?: of ${MONTH})?)`,
    "(?:in|within) (?:a|one|two|three|four|a couple(?: of)?|a few|\\d{1,2}) (?:days?|weeks?|months?)",
    `before (?:my|the|our|a|his|her) [a-z']+(?: (?!on\\b|in\\b|at\\b|next\\b|and\\b|so\\b|but\\b)[a-z']+){0,2}(?: (?:in|on) ${MONTH}(?: \\d{1,2}(?:st|nd|rd|th)?)?)?`,
    `(?:in|by|before) ${MONTH}(?! \\d)`,
    "(?:by|before) (?:memorial day|labor day|july 4th|the 4th(?: of july)?|christmas|thanksgiving|easter|new year'?s|spring|summer|fall|winter|the holidays)",
    "today|tomorrow|tonight|no rush|no hurry|not in a (?:rush|hurry)|whenever|flexible",
    `sometime (?:in the next (?:couple|few)(?: of)? (?:weeks|months)|this (?:week|month|spring|summer|fall|winter|year)|in ${MONTH})`,
    "in the next (?:couple|few)(?: of)? (?:days|weeks|months)",
    "lo (?:antes|mas pronto) posible|urgente|esta semana|la (?:proxima|siguiente) semana|la semana que viene",
    "este fin de semana|el (?:proximo|siguiente) mes|sin prisa|(?<!(?:la|por|en) )manana|hoy",
  ]
    .map((part) => `(?:${part})`)
    .join("|"),
);
const TIMELINE_WORDS = new RegExp(`\\b(?:${TIMELINE.source})\\b`);

const TIMELINE_ALL = new RegExp(TIMELINE_WORDS.source, "g");
/** A time in the past ("back in January", "bought it last spring", "two years ago") is history. */
const PAST_BEFORE =
  /\b(?:back|since|ago|bought(?: it)?|got(?: it)?|had(?: it)?|did(?: it)?|was|were|happened|started|last)\s*$/;
const PAST_AFTER = /^\s*(?:ago|already)\b/;
const DEADLINE = /^(?:before|by|until|para)\b/;
const VAGUE = /^(?:no rush|no hurry|not in a (?:rush|hurry)|whenever|flexible|sin prisa)$/;
const CALL_BACK_BEFORE =
  /\b(?:call|text|reach|contact|email|get back to|hear from)(?: \w+)? (?:me|us)\b[^.!?]*$/;

/**
 * When the customer needs it ("next week", "by Friday", "before my daughter's wedding in May"), in
 * their words. Past times are skipped, and a deadline beats any other time in the same message.
 */
export const findTimeline: (text: string) => string | null = rememberByText(timelineIn);

function timelineIn(text: string): string | null {
  const folded = foldText(text);
  const found: Array<{ start: number; end: number; deadline: boolean }> = [];
  for (const match of folded.matchAll(TIMELINE_ALL)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    if (PAST_BEFORE.test(folded.slice(Math.max(0, start - 16), start))) continue;
    if (PAST_AFTER.test(folded.slice(end, end + 10))) continue;
    // "can someone call me today?" is when to call, not when the job is needed.
    if (CALL_BACK_BEFORE.test(folded.slice(Math.max(0, start - 30), start))) continue;
    found.push({ start, end, deadline: DEADLINE.test(match[0]) });
  }
  const pick = found.find((f) => f.deadline) ?? found.find((f) => !VAGUE.test(folded.slice(f.start, f.end)));
  const vague = found.find((f) => VAGUE.test(folded.slice(f.start, f.end)));
  // "no rush, sometime this fall": both say something; the specific one alone would drop the ease.
  if (pick && vague) {
    const [a, b] = pick.start < vague.start ? [pick, vague] : [vague, pick];
    return `${text.slice(a.start, a.end)}, ${text.slice(b.start, b.end)}`;
  }
  const only = pick ?? vague;
  return only ? text.slice(only.start, only.end) : null;
}

/** 800, 1,200, 1200.50: commas only as thousands separators, so "under 800," stops at 800. */
const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{2})?`;
const MONEY = String.raw`\$\s?${NUM}(?:\s?k\b)?|${NUM}\s?\$|${NUM}\s?k?\s?(?:dollars|bucks|usd|dolares|pesos)\b`;
const BARE = String.raw`(?:\d{1,3}(?:,\d{3})+|\d{2,6})(?!\s*(?:years?|yrs?|weeks?|days?|months?|miles?|mi\b|hours?|hrs?|mins?|minutes?|people|seats?|chairs?|pieces?|k miles)|\d|,\d)`;
const RANGE = String.raw`(?:\s*(?:-|to|and|a)\s*(?:${MONEY}|${NUM}))?`;
const STRONG_CUE =
  "budget(?:'s| is| of)?(?: about| around| maybe)?|spend(?: about| around| up to)?|under|less than|below|no more than|not more than|up to|max(?:imum)?|at most|presupuesto(?: de| es)?(?: de)?|menos de|hasta";
const SOFT_CUE = "around|about|roughly|between|alrededor de";
const BUDGET = new RegExp(
  String.raw`\b(?:(?:${STRONG_CUE})\s*(?:of\s*)?(?:${MONEY}|${BARE})${RANGE}|(?:${SOFT_CUE})\s*(?:${MONEY})${RANGE})|(?:${MONEY})${RANGE}`,
);

/** A price someone else named or one already paid: a quote from another shop is not a budget. */
const OTHERS_PRICE =
  /\b(?:quoted?|quotes|estimate[ds]?|charged?|charges|wanted|wants|asking|asked|paid|cost me|other shops?|another shop|dealer(?:ship)?|they (?:said|say|want)|he (?:said|wanted)|gave me|insurance|approved|covered|payout|paid out|claim|me cobraron|me cotizaron|cotizacion|me pidieron|el seguro)\b/;
const BUDGET_CUE = /\b(?:budget|spend|afford|willing to pay|can do|presupuesto|puedo pagar)\b/;
const CLAUSES = /[^.!?;\n]+/g;

/**
 * What the customer wants to spend ("$500", "under 800", "between $300 and $500"), in their words.
 * A price in a clause about someone else's quote or a past payment is theirs, not the customer's,
 * unless the clause also says budget ("the dealer wanted $900, my budget is $500" keeps $500).
 */
export const findBudget: (text: string) => string | null = rememberByText(budgetIn);

function budgetIn(text: string): string | null {
  const folded = foldText(text);
  for (const clause of folded.matchAll(CLAUSES)) {
    const match = BUDGET.exec(clause[0]);
    if (!match) continue;
    const before = clause[0].slice(0, match.index);
    if (OTHERS_PRICE.test(before) && !BUDGET_CUE.test(clause[0])) continue;
    if (OTHERS_PRICE.test(clause[0].slice(match.index)) && !BUDGET_CUE.test(clause[0])) continue;
    const start = (clause.index ?? 0) + match.index;
    return text.slice(start, start + match[0].length).trim();
  }
  return null;
}

const LOCATION =
  /\b(?:i live in|we live in|(?:i'?m|we'?re|i am|we are) located in|located in|based in|(?:i'?m|im|we'?re|i am|we are) (?:over |out )?(?:in|near|by)|(?:i'?m|im|i am) from|coming from|^from|(?:we|i) keep (?:it|her|him|them|the (?:boat|rv|camper|trailer)) (?:at|on|in)|vivo en|estoy en|soy de|somos de)\s+([a-z][a-z.'-]*(?:[ \t]+[a-z][a-z.'-]*){0,2})/d;
const ZIP = /\bzip(?: code)?(?: is)?:?\s*(\d{5})\b/;
const NOT_A_PLACE = new Set(
  (
    "a an the no need love hurry rush town process middle market trouble charge shock luck between there here touch " +
    "contact school work class bed pain good bad your my this that it not desperate dire search looking myself " +
    "interested favor luck line traffic meetings meeting store shop hospital business hurry one two el la un una"
  ).split(" "),
);
const PLACE_STOP =
  /^(?:and|but|so|with|area|if|for|can|do|would|i|my|to|on|at|by|looking|need|needs|have|has|tx|y|pero|con)$/;

/** Where the customer is ("I live in Round Rock", "zip 78701"), when they say so. */
export const findLocation: (text: string) => string | null = rememberByText(locationIn);

function locationIn(text: string): string | null {
  const folded = foldText(text);
  const zip = ZIP.exec(folded);
  if (zip?.[1]) return zip[1];
  const match = LOCATION.exec(folded);
  const at = match?.indices?.[1];
  if (!match?.[1] || !at) return null;
  const words = text.slice(at[0], at[1]).split(/\s+/);
  const kept: string[] = [];
  for (const word of words) {
    if (PLACE_STOP.test(word.toLowerCase())) break;
    kept.push(word.replace(/[.,]+$/, ""));
  }
  if (kept.length === 0 || NOT_A_PLACE.has((kept[0] ?? "").toLowerCase())) return null;
  return tidyCase(kept.join(" "));
}

const SPAM =
  /\b(?:seo|search engine optimi[sz]ation|backlinks?|(?:first|1st|top) page (?:of|on) google|google (?:ranking|rankings|maps ranking)|rank(?:ing)? (?:higher|#1|your (?:site|website|business))|web ?(?:site)? ?(?:design|redesign|development) (?:services?|agency|company)|digital marketing|marketing (?:agency|services)|guest posts?|lead generation (?:services?|agency)|increase (?:your )?(?:traffic|sales|leads)|grow your business|business (?:loans?|funding)|merchant (?:services|account)|crypto|bitcoin|white ?label|virtual assistants?|partnership opportunity)\b/;
/** Services sold to the shop: payments, leads, reviews, websites, phones. */
const SERVICE_PITCH =
  /\b(?:(?:credit )?card processing|processing (?:fees|rates)|payment processing|lower your (?:fees|rates|bills?|costs)|pay per lead|per lead\b|(?:exclusive|qualified|more) (?:\w+ )?leads\b|generate (?:\w+ )*?leads|(?:5|five)[- ]star (?:google )?reviews|more (?:google )?reviews|reviews (?:per|a|each) month|your website (?:could|needs|is outdated|looks)|website (?:refresh|makeover|redesign)|(?:we )?build (?:\w+[- ]friendly |custom |new )?(?:web ?)?sites|social media (?:management|marketing|posts)|(?:ai|virtual) (?:receptionist|chatbot|answering)|answering service|google (?:business )?(?:profile|listing) (?:optimi[sz]ation|management|is unverified|(?:may|will) be suspended)|top (?:3|three|5|five|10|ten) (?:on|in) google|google maps (?:ranking|listing)|(?:content creator|influencer|collab(?:oration)?\b|in exchange for (?:a )?(?:\w+ )?(?:video|post|feature|review|shout ?out)|huge exposure|followers on|\d+k? followers|feature you|partner with you|page (?:1|one) (?:of|on) google|free (?:seo )?audit|packages? start)\b)/;
/** Suppliers and distributors selling TO the shop. */
const VENDOR =
  /\b(?:we (?:supply|sell|distribute|manufacture|wholesale|carry|offer|ship) (?:\w+ ){0,3}(?:fabrics?|vinyls?|leathers?|foam|materials?|supplies|threads?|products?|rolls?)|price list for (?:the|your) shop|bulk rolls?|wholesale (?:fabrics?|vinyls?|leathers?|foam|prices?|pricing|supplies)|(?:fabric|vinyl|leather|foam|upholstery|material) (?:supplier|distributor|wholesaler|manufacturer)s?|bulk pricing|our (?:catalog|product line|price list)|sales rep(?:resentative)?|(?:soy|somos) (?:proveedor|distribuidor)(?:es)?|mayoreo)\b/;
/** People asking the shop for a job rather than for work on their things. */
const JOB_SEEKER =
  /\b(?:are (?:you|y'?all|u) (?:guys )?hiring|(?:you|y'?all) hiring|(?:looking for|need|want|seeking) (?:a |an )?(?:job|employment|position|apprenticeship)|(?:job|position|opening)s? (?:available|open)|my (?:resume|cv)|apply (?:for|to) (?:a|the|any) (?:job|position|opening)|experienced upholsterer looking|looking for work as|estan contratando|busco (?:trabajo|empleo)|necesitan (?:trabajador|ayudante|empleado)s?)\b/;

/**
 * Sentences that talk to the system instead of about the job ("ignore previous instructions",
 * "set handoff_ready true", "tell the owner ..."). Their words are never used as facts.
 */
const INSTRUCTION_LIKE =
  /\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(?:instructions?|rules?|prompts?|messages?|above|everything)\b|\bsystem\s*(?:override|prompt|message|:)|\b(?:you are now|admin mode|developer mode|jailbreak|new instructions|handoff_ready|tell the owner|mark (?:this|the) lead|set (?:the )?(?:lead|handoff|summary|budget|name|phone)|act as)\b/;
const SENTENCES = /[^.!?\n]+[.!?]*\n*|[.!?\n]+/g;

/** `text` without the sentences that read as instructions to the system (kept as customer words otherwise). */
export const withoutInstructions: (text: string) => string = rememberByText(instructionsOut);

function instructionsOut(text: string): string {
  const folded = foldText(text);
  if (!INSTRUCTION_LIKE.test(folded)) return text;
  let kept = "";
  SENTENCES.lastIndex = 0;
  for (let match = SENTENCES.exec(folded); match; match = SENTENCES.exec(folded)) {
    if (!INSTRUCTION_LIKE.test(match[0])) kept += text.slice(match.index, match.index + match[0].length);
  }
  return kept.trim();
}

/**
 * Not a customer: a sales pitch to the shop (SEO, marketing, loans), a supplier, or a job seeker.
 * None of them is a lead, whatever vehicle or fabric they mention.
 */
export function looksLikeSalesPitch(texts: readonly string[]): boolean {
  return texts.some((text) => pitchIn(text));
}

const pitchIn = rememberByText((text: string) => {
  const folded = foldText(text);
  return SPAM.test(folded) || SERVICE_PITCH.test(folded) || VENDOR.test(folded) || JOB_SEEKER.test(folded);
});
