import type { BusinessProfile } from "../business-profile.js";
import { foldText } from "../extract/text-match.js";
import type { Phrases } from "./phrases.js";

// The questions the local assistant answers on the side (hours, address, services, price);
// each pattern runs on foldText() output, so it is lowercase and accent-free.
const HOURS_Q =
  /\b(?:hours|what time|(?:are|r) (?:you|y'?all|u) open|open (?:on|today|tomorrow|saturdays?|sundays?|weekends?|late|now)|when (?:are|do) (?:you|y'?all|u) (?:open|close)|horario|a que hora|abren|estan abiertos)\b/;
const ADDRESS_Q =
  /\b(?:where (?:are|is|r) (?:you|y'?all|u|the shop|your shop)|where(?:'s| is) (?:the shop|your shop)|(?<!e-?mail )address|directions|located\?|donde (?:estan|queda|se encuentran)|direccion)\b/;
const PRICE_Q =
  /\b(?:how much|prices?|pricing|cost|costs|quote|estimate|charge|ballpark|rates?|cuanto|precios?|cuesta|cobran)\b/;
const SERVICES_Q =
  /\b(?:do (?:you|y'?all|u)(?: guys)? (?:do|fix|work on|repair|handle|reupholster|redo|make|install|replace|offer)|what (?:services|kind of work|all do you do|do you do)|can (?:you|y'?all|u) (?:do|fix|work on|repair|redo)|hacen|trabajan|reparan)\b/;
const NOT_A_SERVICE_WORD = new Set(
  (
    "do does you yall y'all u guys the a an and or on of for my your our work works fix repair handle make " +
    "install replace redo offer services service kind what which also any all can could is are it them that " +
    "those these stuff things thing type types with in to too upholstery reupholster reupholstery ever just"
  ).split(" "),
);

/** Profile service lines that name what the customer asked about ("do you do boats?"). */
function matchingServices(folded: string, profile: BusinessProfile): string[] {
  const stems = (folded.match(/[a-z][a-z'-]*/g) ?? [])
    .filter((w) => !NOT_A_SERVICE_WORD.has(w) && w.length >= 2)
    .map((w) => (w.length >= 3 ? w.replace(/(?:es|s)$/, "") : w))
    .filter((stem) => stem.length >= 2);
  return profile.services.filter((line) => {
    const service = foldText(line);
    return stems.some((stem) => new RegExp(`\\b${stem.replace(/[^a-z]/g, "")}`).test(service));
  });
}

/** Answers, from the business profile only, to the FAQs in the customer's folded message. */
export function faqAnswers(folded: string, profile: BusinessProfile, p: Phrases): string[] {
  const answers: string[] = [];
  if (HOURS_Q.test(folded)) answers.push(p.hours(profile));
  if (ADDRESS_Q.test(folded)) answers.push(p.address(profile));
  if (SERVICES_Q.test(folded)) answers.push(p.services(profile, matchingServices(folded, profile)));
  if (PRICE_Q.test(folded)) answers.push(p.price(profile));
  // Two answers at most: the reply stays short and the intake question still fits.
  return answers.slice(0, 2);
}
