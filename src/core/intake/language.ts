import type { TranscriptTurn } from "../chat/transcript.js";
import { foldText } from "../extract/text-match.js";
import { rememberByText } from "../memo.js";
import type { Lang } from "../vocabulary.js";

// The conversation's language: set by the customer's first words that show one, and changed only
// when the customer clearly writes in the other. A bare "2015 Tacoma", a phone number, a name or an
// "ok" shows no language and keeps the current one, so a Spanish chat never flips to English on them.

const SPANISH =
  /\b(?:hola|buen[oa]s|tengo|necesito|quiero|asiento|gracias|por favor|cuanto|cuesta|precio|me llamo|mi (?:carro|camioneta|troca|coche|nombre|numero|telefono|correo)|donde|estan|horario|roto|rota|techo|sillon|tapiceria|puede[ns]?|usted(?:es)?|el|la|los|las|una?|es|esta|del|que|con|para|pero|muy|tambien|si|mi|su|mas|cuando|llamar|fotos?|sabado|manana|tarde|de|hacen|pintura|carros?|ustedes|arreglar|cuanto|quiero|no se|ok gracias|bien|camioneta|troca|moto|lancha|sillon|asientos|vinil|piel|cuero)\b/g;
const ENGLISH =
  /\b(?:the|my|is|it|its|it's|i|i'm|im|you|your|need|needs|want|have|has|can|could|would|what|how|this|that|with|for|and|please|thanks|thank|seat|torn|ripped|do|does|are|was|just|got|get|looking|fix|repair|redo|hi|hello|hey|yes|yeah|no|not)\b/g;

const count = (pattern: RegExp, text: string) => text.match(pattern)?.length ?? 0;

/**
 * The language one message shows (null when it shows none clearly), and how strongly: the count of
 * that language's words.
 */
const languageShown = rememberByText((text: string): { lang: Lang | null; strength: number } => {
  const folded = foldText(text);
  const es = count(SPANISH, folded);
  const en = count(ENGLISH, folded);
  if (es > en) return { lang: "es", strength: es };
  if (en > es) return { lang: "en", strength: en };
  return { lang: null, strength: 0 };
});

/** The language to answer in: the conversation's, English until the customer shows another. */
export function conversationLanguage(turns: readonly TranscriptTurn[]): Lang {
  let lang: Lang | null = null;
  for (const turn of turns) {
    if (turn.role !== "customer" || !turn.text) continue;
    const { lang: shown, strength } = languageShown(turn.text);
    if (!shown || shown === lang) continue;
    // A switch needs more than a stray word ("gracias!" in an English chat, "ok thanks" in Spanish).
    if (lang === null || strength >= 3) lang = shown;
  }
  return lang ?? "en";
}
