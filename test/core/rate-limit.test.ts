import { describe, expect, it } from "vitest";
import { assertMessageLength, assertThreadHasRoom, MAX_MESSAGE_CHARS } from "../../src/core/chat/limits.js";
import { ValidationError } from "../../src/core/errors.js";
import { createRateLimiter, DEFAULT_RATE_LIMITS } from "../../src/core/rate-limit.js";

const T0 = 1_000_000;

describe("createRateLimiter", () => {
  it("allows the limit as a burst, then refuses with the time to the next slot", () => {
    const limiter = createRateLimiter({ limit: 30, windowMs: 600_000 });
    for (let i = 0; i < 30; i++) {
      const decision = limiter.take("ip:a", T0);
      expect(decision.allowed).toBe(true);
      expect(decision.remaining).toBe(29 - i);
    }
    expect(limiter.take("ip:a", T0)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 20_000 });
    expect(limiter.take("ip:a", T0 + 19_999).allowed).toBe(false);
    expect(limiter.take("ip:a", T0 + 20_000).allowed).toBe(true);
    expect(limiter.take("ip:a", T0 + 20_000).allowed).toBe(false);
  });

  it("refills completely after a full window", () => {
    const limiter = createRateLimiter({ limit: 3, windowMs: 1000 });
    for (let i = 0; i < 3; i++) limiter.take("k", T0);
    expect(limiter.take("k", T0).allowed).toBe(false);
    for (let i = 0; i < 3; i++) expect(limiter.take("k", T0 + 1000).allowed).toBe(true);
    expect(limiter.take("k", T0 + 1000).allowed).toBe(false);
  });

  it("keeps keys apart", () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000 });
    expect(limiter.take("a", T0).allowed).toBe(true);
    expect(limiter.take("a", T0).allowed).toBe(false);
    expect(limiter.take("b", T0).allowed).toBe(true);
  });

  it("charges several keys all or nothing", () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 1000 });
    limiter.take(["user:1"], T0);
    limiter.take(["user:1"], T0);
    // user:1 is exhausted: the refused request must not eat ip:x's allowance
    expect(limiter.take(["user:1", "ip:x"], T0).allowed).toBe(false);
    expect(limiter.take("ip:x", T0).remaining).toBe(1);
  });

  it("stays bounded: forgets the least recently used keys and sweeps full buckets", () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) limiter.take(`ip:${i}`, T0);
    expect(limiter.size).toBe(100);
    // the most recent keys are still limited
    expect(limiter.take("ip:999", T0).allowed).toBe(false);
    // once their buckets are full again they are dropped as calls come in
    for (let i = 0; i < 20; i++) limiter.take(`late:${i}`, T0 + 5000);
    expect(limiter.size).toBe(20);
  });

  it("validates its options and ships the documented defaults", () => {
    expect(() => createRateLimiter({ limit: 0, windowMs: 1000 })).toThrow();
    expect(() => createRateLimiter({ limit: 1, windowMs: 0 })).toThrow();
    expect(DEFAULT_RATE_LIMITS).toEqual({
      sessionsPerIp: { limit: 30, windowMs: 600_000 },
      messagesPerUser: { limit: 30, windowMs: 60_000 },
      messagesPerIp: { limit: 120, windowMs: 60_000 },
      uploadsPerUser: { limit: 20, windowMs: 600_000 },
    });
  });
});

describe("message and thread limits", () => {
  it("refuses a message over 4000 characters with 413 message_too_long", () => {
    expect(() => assertMessageLength("a".repeat(MAX_MESSAGE_CHARS))).not.toThrow();
    // 4000 emoji are 8000 UTF-16 units but 4000 characters
    expect(() => assertMessageLength("😀".repeat(MAX_MESSAGE_CHARS))).not.toThrow();
    let error: unknown;
    try {
      assertMessageLength("😀".repeat(MAX_MESSAGE_CHARS + 1));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: "message_too_long", status: 413 });
  });

  it("refuses a turn that would pass the item cap with 400 thread_full", () => {
    expect(() => assertThreadHasRoom(198, 2)).not.toThrow();
    expect(() => assertThreadHasRoom(199, 2)).toThrow(
      expect.objectContaining({ code: "thread_full", status: 400 }),
    );
    expect(() => assertThreadHasRoom(200)).toThrow(ValidationError);
  });
});
