import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RateLimitStore } from "../../src/ports/rate-limit-store.js";

/** What a RateLimitStore contract run needs from an adapter. */
export interface RateLimitStoreFixture {
  store: RateLimitStore;
  teardown(): Promise<void>;
}

const MINUTE = 60_000;
// A window boundary, so fixed-window and token-bucket stores start from the same full allowance.
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % MINUTE);

/** The RateLimitStore contract: every adapter must pass it. */
export function runRateLimitStoreContract(name: string, setup: () => Promise<RateLimitStoreFixture>): void {
  describe(`RateLimitStore contract: ${name}`, () => {
    let fixture: RateLimitStoreFixture;
    beforeEach(async () => {
      fixture = await setup();
    });
    afterEach(async () => fixture.teardown());
    const rule = { limit: 3, windowMs: MINUTE };

    it("allows `limit` requests per window, then refuses with a retry time inside the window", async () => {
      const { store } = fixture;
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await store.take("user:a", rule, T0 + i));
      expect(answers.map((a) => a.allowed)).toEqual([true, true, true, false]);
      expect(answers[0]?.remaining).toBe(2);
      expect(answers[3]?.retryAfterMs).toBeGreaterThan(0);
      expect(answers[3]?.retryAfterMs).toBeLessThanOrEqual(MINUTE);
    });

    it("allows again once the window has passed", async () => {
      const { store } = fixture;
      for (let i = 0; i < 3; i++) await store.take("user:a", rule, T0);
      expect((await store.take("user:a", rule, T0)).allowed).toBe(false);
      expect((await store.take("user:a", rule, T0 + MINUTE)).allowed).toBe(true);
    });

    it("keeps keys apart", async () => {
      const { store } = fixture;
      for (let i = 0; i < 3; i++) await store.take("user:a", rule, T0);
      expect((await store.take("user:a", rule, T0)).allowed).toBe(false);
      expect((await store.take("user:b", rule, T0)).allowed).toBe(true);
    });

    it("allows exactly `limit` of many requests arriving at once", async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          fixture.store.take("ip:203.0.113.7", { limit: 5, windowMs: MINUTE }, T0),
        ),
      );
      expect(answers.filter((a) => a.allowed)).toHaveLength(5);
    });
  });
}
