/** Longest thread title, in characters (what a conversation list shows on one line). */
const MAX_TITLE_CHARS = 60;

/**
 * A conversation's title from the customer's first message: one line, cut at a word boundary
 * with an ellipsis when long; null when the message has no text (photos only).
 */
export function threadTitleFrom(text: string): string | null {
  const line = text.replace(/\s+/g, " ").trim();
  if (!line) return null;
  if (line.length <= MAX_TITLE_CHARS) return line;
  const cut = line.slice(0, MAX_TITLE_CHARS - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > MAX_TITLE_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, "")}…`;
}
