/**
 * Remembered results of the rule-based readers of one message.
 *
 * Why: the local assistant and summarizer have no state but the transcript, so every turn reads
 * every message of the conversation again, and a thread's tenth turn paid for the nine messages
 * before it once more. A reader of one text gives the same answer for the same text, so its recent
 * answers are kept here: each turn reads its new message, and the others come from memory. Nothing
 * a reply says can change: only work that would give the same result is skipped.
 *
 * Bounded by the characters of the texts kept (two generations: a text read this generation or
 * the last one is a hit, and a hit in the older one is carried over; a full generation retires the
 * older), so long pasted messages cannot grow it without limit. Keyed by the text itself (a string
 * keeps its hash once computed, so the lookups of later turns cost little), then by the reader's
 * other arguments, if any, as one short string.
 */

/** Characters of remembered texts per generation, per reader: some thousand chat messages. */
const GENERATION_CHARS = 1 << 17;

/** Two generations of remembered values by text. */
function generations<V>() {
  let young = new Map<string, V>();
  let old = new Map<string, V>();
  let youngChars = 0;
  const keep = (text: string, value: V) => {
    if (youngChars + text.length > GENERATION_CHARS) {
      old = young;
      young = new Map();
      youngChars = 0;
    }
    young.set(text, value);
    youngChars += text.length;
  };
  return {
    get(text: string): V | undefined {
      const hit = young.get(text);
      if (hit !== undefined) return hit;
      const carried = old.get(text);
      if (carried !== undefined) {
        old.delete(text);
        keep(text, carried);
      }
      return carried;
    },
    keep,
  };
}

/** A remembered result, boxed so that null and undefined answers are remembered too. */
interface Box<R> {
  value: R;
}

/**
 * `read` remembered by its text. `read` must be pure: same text, same result. Results are frozen
 * (one level deep, and each object of an array), so a caller that would change one fails loudly
 * instead of changing another caller's answer.
 */
export function rememberByText<R>(read: (text: string) => R): (text: string) => R {
  const memory = generations<Box<R>>();
  return (text) => {
    const hit = memory.get(text);
    if (hit) return hit.value;
    const value = frozen(read(text));
    memory.keep(text, { value });
    return value;
  };
}

/**
 * {@link rememberByText} for a reader with one more argument, told apart by `variantOf(arg)`: one
 * short string per distinct answer (the region, the option, the kinds seen).
 */
export function rememberByTextAnd<A, R>(
  read: (text: string, arg: A) => R,
  variantOf: (arg: A) => string,
): (text: string, arg: A) => R {
  const memory = generations<Map<string, Box<R>>>();
  return (text, arg) => {
    const variant = variantOf(arg);
    let variants = memory.get(text);
    const hit = variants?.get(variant);
    if (hit) return hit.value;
    const value = frozen(read(text, arg));
    if (!variants) {
      variants = new Map();
      memory.keep(text, variants);
    }
    variants.set(variant, { value });
    return value;
  };
}

function frozen<R>(value: R): R {
  if (Array.isArray(value)) {
    for (const entry of value) if (entry !== null && typeof entry === "object") Object.freeze(entry);
  }
  return value !== null && typeof value === "object" ? Object.freeze(value) : value;
}
