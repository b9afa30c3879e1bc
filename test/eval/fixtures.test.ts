import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shopContact } from "../../eval/detectors.js";
import {
  CONVERSATIONS_DIR,
  EXTRA_CONVERSATIONS_DIRS,
  loadAllConversations,
  loadConversations,
} from "../../eval/load.js";
import { CONVERSATION_CLASSES, conversationSchema, REPLY_TOPICS } from "../../eval/schema.js";
import { DEFAULT_BUSINESS_PROFILE as profile } from "../../src/core/business-profile.js";

// [file name, path]: the main set and the held-out extra set, same format.
const jsonIn = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith(".json"))
        .map((name) => [name, join(dir, name)] as const)
    : [];
const files = [CONVERSATIONS_DIR, ...EXTRA_CONVERSATIONS_DIRS].flatMap(jsonIn);
const conversations = loadConversations();

describe("eval conversations", () => {
  it.each(files)("%s matches the schema and is named after its id", (file, path) => {
    const json: unknown = JSON.parse(readFileSync(path, "utf8"));
    const parsed = conversationSchema.safeParse(json);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(`${parsed.data?.id}.json`).toBe(file);
  });

  it("has at least 64 conversations, every class and both languages well covered", () => {
    expect(conversations.length).toBeGreaterThanOrEqual(64);
    for (const cls of CONVERSATION_CLASSES) {
      expect(conversations.filter((c) => c.class.includes(cls)).length, cls).toBeGreaterThanOrEqual(6);
    }
    expect(conversations.filter((c) => c.language === "es").length).toBeGreaterThanOrEqual(6);
    expect(conversations.filter((c) => c.expected.spam === true).length).toBeGreaterThanOrEqual(6);
    expect(conversations.filter((c) => c.turns.some((t) => t.photos)).length).toBeGreaterThanOrEqual(6);
    expect(conversations.filter((c) => c.turns.some((t) => t.refuses)).length).toBeGreaterThanOrEqual(4);
  });

  it("checks every reply topic somewhere", () => {
    const used = new Set(
      conversations.flatMap((c) =>
        c.turns.flatMap((t) => [
          ...(t.expect?.answers ?? []),
          ...(t.expect?.says_no_appointment ? ["no_appointment"] : []),
        ]),
      ),
    );
    // next_steps and callback overlap by design; every other topic is exercised.
    expect(REPLY_TOPICS.filter((topic) => !used.has(topic))).toEqual([]);
  });

  it.each(loadAllConversations().map((c) => [c.id, c] as const))("%s is consistent", (_id, c) => {
    const e = c.expected;
    // Real leads state the customer's contact either way, so a wrong one is always measured.
    if (!e.spam) {
      expect(e.phone, "phone").not.toBeUndefined();
      expect(e.email, "email").not.toBeUndefined();
    }
    // The shop's own contact is never a customer's.
    const shop = shopContact(profile);
    expect(e.phone ?? null).not.toBe(shop.phone);
    expect(e.email ?? null).not.toBe(shop.email);
    // The photo count is what the script sends.
    if (e.photo_count !== undefined) {
      expect(e.photo_count).toBe(c.turns.reduce((sum, t) => sum + (t.photos ?? 0), 0));
    }
    // A ready lead has a contact; a conversation without one cannot be expected ready.
    if (e.handoff_ready) expect(Boolean(e.phone || e.email)).toBe(true);
  });
});
