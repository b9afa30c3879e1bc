import { foldText } from "../extract/text-match.js";
import { rememberByText } from "../memo.js";

// What the customer's latest message asks or says besides facts: questions the assistant must
// answer before asking anything, a refusal it must respect, an appointment it must not pretend to
// have made. Every pattern runs on foldText() output (lowercase, accent-free).

/** One thing the customer asked or said that needs an answer of its own. */
export type Intent =
  | "hours"
  | "address"
  | "area"
  | "price"
  | "services"
  | "turnaround"
  | "automated"
  | "callback"
  | "appointment"
  | "next_steps"
  | "shop_phone"
  | "refusal"
  | "withdrawal"
  | "thanks";

const PATTERNS: ReadonlyArray<readonly [Intent, RegExp]> = [
  [
    "hours",
    /\b(?:hours|what time|(?:are|r) (?:you|y'?all|u) open|open (?:on|today|tomorrow|saturdays?|sundays?|weekends?|late|now)|when (?:are|do) (?:you|y'?all|u) (?:open|close)|horario|a que hora|abren|estan abiertos)\b/,
  ],
  [
    "address",
    /\b(?:where (?:do|can|should|would) (?:i|we) (?:drop|bring|take|go|park)|where (?:are|is|r) (?:you|y'?all|u|the shop|your shop)|where(?:'s| is) (?:the shop|your shop)|(?<!e-?mail )address|directions|located\?|donde (?:estan|queda|se encuentran)|direccion)\b/,
  ],
  [
    "area",
    /\b(?:too far|how far|far from|far away|do (?:you|y'?all|u) (?:come|go|travel|serve|cover|service|work in)|(?:is|are) (?:that|you|it|the shop) (?:near|close to|far)|near me|in my area|your area|service area|mobile service|come to (?:me|my|us)|queda lejos|esta lejos|muy lejos|vienen a|van a domicilio)\b/,
  ],
  [
    "price",
    /\b(?:how much|prices?|pricing|cost|costs|quoted?|quotes|estimates?|charge|ballpark|rates?|cuanto (?:x|por|para|cuesta|cobran|cobra|sale|seria|me)|precios?|cuesta|cobran|cotiza\w*)\b/,
  ],
  [
    "services",
    /\b(?:do (?:you|y'?all|u)(?: guys)?(?: also| ever| even| still)? (?:do|fix|work on|repair|handle|reupholster|redo|make|install|replace|offer|sell|paint|tint)|^(?:ok(?:ay)? |and |so )?(?:what|how) about (?:a |an |the |some )?\w+|what (?:services|kind of work|all do you do|do you do)|can (?:you|y'?all|u)(?: guys)?(?: also)? (?:do|fix|work on|repair|redo|make|build|sew|paint|tint|install|replace|rewrap|wrap|recover|restitch|reupholster|dye|patch|restore|match|order|source|add|put in|fit)|is that something (?:you|y'?all) do|(?:can|could) (?:it|they|this|that|these|those|mine) be (?:redone|fixed|repaired|saved|recovered|reupholstered|restored|replaced|made)|hacen|trabajan|reparan|pueden (?:hacer|arreglar|reparar|tapizar)|arreglan|tapizan|retapizan|tapicean)\b/,
  ],
  // "u guys fix seats??": a question by its question mark, so no word boundary after it.
  ["services", /\b(?:you|u|y'?all)(?: guys)? (?:fix|do|repair|redo|work on|rewrap|recover|make)\b[^.!?]*\?/],
  [
    "turnaround",
    /\b(?:how long (?:does|will|would|do|is|might)|how (?:quick|quickly|soon|fast) (?:can|could|would|will|do)|turn ?around|when (?:would|will|could|can) (?:it|they|she|the \w+) be (?:done|ready|finished)|how many days|cuanto (?:tiempo|tarda|tardan|se tardan|se tarda)|cuando (?:estaria|estara|queda) (?:listo|lista))\b/,
  ],
  [
    "automated",
    /\b(?:real (?:person|human|people)|(?:a|an) (?:human|person|bot|robot|ai)\b|are (?:you|u) (?:a |an )?(?:bot|robot|ai|human|real|person|automated|machine)|is this (?:a |an )?(?:bot|robot|ai|automated|real|person|human|machine|live)|(?:talking|chatting|speaking) (?:to|with) (?:a |an )?(?:bot|robot|machine|person|human|someone real|ai)|chat ?bot|what(?:'s| is) your name|who (?:am i|is this|are you)|(?:con )?quien (?:hablo|eres|es usted)|persona real|eres (?:un )?(?:bot|robot|humano|persona)|es (?:un )?(?:bot|robot)|hablo con (?:un )?(?:bot|robot|persona))\b/,
  ],
  [
    "callback",
    /\b(?:(?:will|can|could|would) (?:someone|somebody|a (?:real )?person|craig|anyone|he|you|the owner) (?:call|text|contact|reach|get back|email)|who (?:will|is going to) (?:call|contact|text|reach)|when will (?:i hear|someone|you|he) |will i (?:get|hear)|(?:me|nos) (?:van a|va a) (?:llamar|contactar|escribir)|alguien me (?:llama|llamara|va a llamar)|quien me (?:llama|va a llamar))/,
  ],
  [
    "appointment",
    /\b(?:see (?:you|ya|u) (?:on |this |next )?(?:mon|tues|wednes|thurs|fri|satur|sun)day|see (?:you|ya|u) (?:then|tomorrow|soon|there)|(?:i'?ll|i will|i can|can i|could i|i could|we'?ll) (?:bring|drop|swing|come|stop)(?: it| her| him| them| the \w+)? ?(?:in|off|by|over)?\b[^.?!]{0,30}\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:book|schedule|make|set up) (?:an? )?(?:appointment|appt|time)|need to (?:book|schedule|make an appointment)|(?:can|could) i just (?:drop|bring|come|show up)|appointment|cita|nos vemos (?:el )?(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|manana))\b/,
  ],
  [
    "shop_phone",
    /\b(?:your (?:phone )?number|(?:shop'?s?|store'?s?|business) (?:phone|number)|number (?:for|to) (?:the shop|call)|right number|can i call (?:you|the shop|someone)|su (?:numero|telefono)|numero del taller)\b/,
  ],
  [
    "next_steps",
    /\b(?:what happens (?:now|next)|what(?:'s| is) next|now what|what do i do (?:now|next)|y ahora que|que sigue)\b/,
  ],
  [
    "withdrawal",
    /(?:^|[.!,]\s*)(?:nah|no)\b[\s,.!]*(?:never ?mind|forget it|all good|i'?m good|thanks|thank you|gracias)|\b(?:never ?mind|nvm|forget it|not interested|just (?:looking|browsing|checking)|no longer (?:need|interested)|olvidalo|ya no|no me interesa|solo (?:estoy )?(?:viendo|mirando)|nomas (?:viendo|mirando)|gotta (?:run|go)|(?:no )?thanks? anyway|thank you anyway|(?:i'?ll|i will) (?:check|come) back|talk (?:to you )?later|ttyl)\b/,
  ],
  [
    "refusal",
    /\b(?:(?:i'?d|i would) rather not|rather not (?:give|share|say)|(?:don'?t|do not|not) (?:want to|wanna|gonna|going to|comfortable) (?:give|share|leave|put)|not (?:giving|sharing|leaving) (?:my|out|that)|prefer not to|no (?:number|phone|email),? (?:please|thanks|sorry)|why do (?:you|u) need (?:my|a|the)|(?:i )?(?:don'?t|do not|dont) know (?:the|what|which)|idk|no idea|not sure (?:of |about )?(?:the|what|which)|prefiero no|no quiero dar|no se (?:el|la|que|cual))\b/,
  ],
  [
    "thanks",
    /^(?:ok(?:ay)?|cool|great|perfect|sounds good|awesome|thanks?|thank you|thx|ty|gracias|bye)\b(?!.*\?)/,
  ],
];

/** The intents of the customer's latest message, in a fixed order (answers follow it). */
export const intentsOf: (text: string) => Intent[] = rememberByText((text: string) => {
  const folded = foldText(text.trim());
  return [...new Set(PATTERNS.filter(([, pattern]) => pattern.test(folded)).map(([intent]) => intent))];
});
