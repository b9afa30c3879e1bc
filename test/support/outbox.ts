import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
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

/** The `.eml` files in an outbox folder (none while the folder does not exist yet). */
export function outboxEmails(outboxDir: string): string[] {
  try {
    return readdirSync(outboxDir).filter((name) => name.endsWith(".eml"));
  } catch {
    return [];
  }
}

/** Parses one outbox email (keeping `cid:` image links). */
export function parseEmail(outboxDir: string, name: string) {
  return simpleParser(readFileSync(join(outboxDir, name)), { skipImageLinks: true });
}
