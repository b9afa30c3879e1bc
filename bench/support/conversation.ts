import type { AttachmentRef } from "../../src/core/chat/transcript.js";
import type { SeedTurn } from "../../test/support/threads.js";

/**
 * A realistic 40-turn conversation (20 customer, 20 assistant) that ends ready for handoff, with
 * the photos attached to one customer turn in the middle.
 */
export function fortyTurnConversation(start: number, photos: AttachmentRef[]): SeedTurn[] {
  const customer = [
    "hi there",
    "I have a tear in my drivers seat",
    "its a 2012 honda civic",
    "the bolster on the left side, about 4 inches long",
    "it started small and got worse over the winter",
    "its the original cloth seat",
    "sure, sending some pictures now",
    "does that look fixable?",
    "I'd rather repair than replace if it's cheaper",
    "no rush but before the end of the month would be nice",
    "I'm in south austin",
    "do you need the car all day?",
    "ok that works",
    "I work weekdays so saturday would be best",
    "budget is around $300 if possible",
    "the passenger seat is fine",
    "also the foam feels a bit flat",
    "my name is Maria Lopez",
    "best number is 512-555-0123, text is best",
    "thanks!",
  ];
  const turns: SeedTurn[] = [];
  customer.forEach((text, i) => {
    turns.push({
      role: "assistant",
      text: `Thanks for that. Question ${i + 1}: anything else we should know?`,
      at: start + i * 20_000,
    });
    turns.push({
      role: "user",
      text,
      at: start + i * 20_000 + 10_000,
      ...(i === 6 ? { attachments: photos } : {}),
    });
  });
  return turns;
}
