import { describe, expect, it } from "vitest";
import type { LeadRecord } from "../../src/ports/lead-store.js";
import { createSentLeadsCache } from "../../src/services/sent-leads-cache.js";

const record = (threadId: string, over: Partial<LeadRecord> = {}): LeadRecord => ({
  threadId,
  state: "sent",
  leaseId: "l",
  leaseExpiresAt: 0,
  attempts: 1,
  lastError: null,
  retryAfter: null,
  emailKey: null,
  subject: null,
  coveredThrough: null,
  followUps: 0,
  messageId: `<lead-${threadId}@x>`,
  sentAt: 1,
  ttl: 1000,
  ...over,
});

describe("sent leads cache", () => {
  it("keeps only sent records, and only until their ttl", () => {
    const cache = createSentLeadsCache();
    cache.remember(record("a"), null);
    cache.remember(record("b", { state: "error" }), null);
    cache.remember(record("c", { state: "sending" }), null);
    expect(cache.get("a", 999)?.record.messageId).toBe("<lead-a@x>");
    expect(cache.get("b", 0)).toBeNull();
    expect(cache.get("c", 0)).toBeNull();
    expect(cache.get("a", 1000)).toBeNull();
    expect(cache.get("a", 0)).toBeNull();
  });

  it("drops the oldest entry when full", () => {
    const cache = createSentLeadsCache(2);
    cache.remember(record("a"), null);
    cache.remember(record("b"), null);
    cache.remember(record("c"), null);
    expect(cache.get("a", 0)).toBeNull();
    expect(cache.get("b", 0)).not.toBeNull();
    expect(cache.get("c", 0)).not.toBeNull();
  });
});
