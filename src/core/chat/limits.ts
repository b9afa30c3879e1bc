import { ValidationError } from "../errors.js";

/** Longest user message, in characters (code points). Longer ones are refused, never truncated. */
export const MAX_MESSAGE_CHARS = 4000;

/** Most items (user and assistant messages) one thread may hold. */
export const MAX_ITEMS_PER_THREAD = 200;

/** A message over the limit: 413, code `message_too_long`. Still a ValidationError for callers. */
export class MessageTooLongError extends ValidationError {
  // Class fields run after super(), so this replaces the 400 the base sets.
  override readonly status = 413;

  constructor(message: string) {
    super(message, { code: "message_too_long" });
  }
}

/** Counts code points without materializing an array for obviously short or long strings. */
function exceedsChars(text: string, max: number): boolean {
  if (text.length <= max) return false; // code points <= UTF-16 units
  if (text.length > max * 2) return true; // each code point is at most 2 units
  let count = 0;
  for (const _ of text) if (++count > max) return true;
  return false;
}

/** Throws {@link MessageTooLongError} (413) when `text` is longer than `max` characters. */
export function assertMessageLength(text: string, max: number = MAX_MESSAGE_CHARS): void {
  if (exceedsChars(text, max)) {
    throw new MessageTooLongError(`The message is longer than ${max} characters; please shorten it.`);
  }
}

/**
 * Throws ValidationError (400, code `thread_full`) when adding `adding` items to a thread holding
 * `itemCount` would pass `max`. A chat turn adds two (the message and the reply), so pass 2 there.
 */
export function assertThreadHasRoom(itemCount: number, adding = 1, max: number = MAX_ITEMS_PER_THREAD): void {
  if (itemCount + adding > max) {
    throw new ValidationError(
      `This conversation has reached its limit of ${max} messages; please start a new one.`,
      { code: "thread_full" },
    );
  }
}
