import { composeLeadEmail } from "../../src/core/email/compose.js";
import type { OutgoingMail } from "../../src/ports/mailer.js";
import { buildMime } from "../../src/services/mime.js";
import { sampleEmailInput } from "./lead-email.js";

/** A clock that moves 1 ms per reading, so file order is send order. */
export function steppingClock(start = Date.UTC(2025, 0, 2, 3, 4, 5)) {
  let now = start;
  return () => now++;
}

/** The sample lead email of a thread, as bytes ready for a mailer. */
export async function sampleOutgoingMail(threadId = "cthr_abc123"): Promise<OutgoingMail> {
  const email = composeLeadEmail(sampleEmailInput({ threadId }));
  return { raw: await buildMime(email), from: email.from, to: email.to, messageId: email.messageId };
}
