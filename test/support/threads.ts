import { randomUUID } from "node:crypto";
import type { AttachmentRef } from "../../src/core/chat/transcript.js";
import type { ThreadStore } from "../../src/ports/thread-store.js";

/** A turn to seed: who said what, when (epoch ms), with which attachments. */
export interface SeedTurn {
  role: "user" | "assistant";
  text: string;
  at: number;
  attachments?: AttachmentRef[];
}

/** Writes a thread and its items in the self-hosted ChatKit item shape. */
export async function seedThread(
  store: ThreadStore,
  threadId: string,
  turns: SeedTurn[],
  userId: string | null = null,
): Promise<void> {
  await store.createThread({ id: threadId, createdAt: turns[0]?.at ?? 0, userId });
  for (const turn of turns) {
    const isUser = turn.role === "user";
    await store.addItem(threadId, {
      id: `msg_${randomUUID()}`,
      type: isUser ? "user_message" : "assistant_message",
      created_at: new Date(turn.at).toISOString(),
      content: [{ type: isUser ? "input_text" : "output_text", text: turn.text }],
      attachments: turn.attachments ?? [],
    });
  }
}

/** A conversation the local summarizer considers ready (name, phone, vehicle, service). */
export function readyConversation(start: number, attachments: AttachmentRef[] = []): SeedTurn[] {
  return [
    { role: "assistant", text: "Hi! What can we help you with today?", at: start },
    {
      role: "user",
      text: "Hi, the driver seat on my 2012 Honda Civic has a big tear in it",
      at: start + 1000,
    },
    { role: "assistant", text: "Sorry to hear that! Could you send a photo?", at: start + 2000 },
    { role: "user", text: "here you go", at: start + 3000, attachments },
    {
      role: "assistant",
      text: "Thanks. What's your name and the best number to reach you?",
      at: start + 4000,
    },
    { role: "user", text: "Maria Lopez, 512-555-0123. Text is best", at: start + 5000 },
    {
      role: "assistant",
      text: "Got it Maria, Craig will reach out within one business day.",
      at: start + 6000,
    },
  ];
}
