import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SmsLinkRecord } from "../../src/core/sms-draft.js";
import type { TokenStore } from "../../src/ports/token-store.js";

/** What a contract run needs: a fresh, empty store and a way to dispose of it. */
export interface TokenStoreFixture {
  store: TokenStore;
  teardown(): Promise<void>;
}

let counter = 0;

/** A record with a unique token; fields overridable. */
export function sampleSmsLinkRecord(overrides: Partial<SmsLinkRecord> = {}): SmsLinkRecord {
  counter += 1;
  const createdAt = Date.UTC(2025, 5, 1, 12, 0, 0);
  return {
    token: `tok${String(counter).padStart(4, "0")}_AbCdEfGhIjKlMnOpQr`,
    threadId: `thr_${counter}`,
    phone: "+15125550123",
    customerName: "Maria O'Neil",
    body: "Hi Maria, this is Craig's Auto Upholstery about your seat repair request. ",
    createdAt,
    expiresAt: createdAt + 7 * 86_400_000,
    ...overrides,
  };
}

/** The TokenStore contract; every adapter runs it. */
export function runTokenStoreContract(name: string, makeStore: () => Promise<TokenStoreFixture>): void {
  describe(`TokenStore contract: ${name}`, () => {
    let fixture: TokenStoreFixture;

    beforeEach(async () => {
      fixture = await makeStore();
    });
    afterEach(async () => {
      await fixture.teardown();
    });

    it("returns what was put, field for field", async () => {
      const record = sampleSmsLinkRecord();
      await fixture.store.put(record);
      expect(await fixture.store.get(record.token)).toEqual(record);
    });

    it("keeps a null customer name null and text exactly (quotes, emoji, newlines)", async () => {
      const record = sampleSmsLinkRecord({ customerName: null, body: `Hi 👋 "you" & <co>\nline 2` });
      await fixture.store.put(record);
      expect(await fixture.store.get(record.token)).toEqual(record);
    });

    it("returns null for an unknown token", async () => {
      await fixture.store.put(sampleSmsLinkRecord());
      expect(await fixture.store.get("unknownTokenAbCdEfGhIjKl")).toBeNull();
    });

    it("still returns an expired record, with its expiresAt (the caller answers 410)", async () => {
      const record = sampleSmsLinkRecord({ createdAt: 1_000, expiresAt: 2_000 });
      await fixture.store.put(record);
      const got = await fixture.store.get(record.token);
      expect(got).toEqual(record);
      expect(got?.expiresAt).toBe(2_000);
    });

    it("keeps tokens apart", async () => {
      const a = sampleSmsLinkRecord({ phone: "+15125550100" });
      const b = sampleSmsLinkRecord({ phone: "+15125550199" });
      await fixture.store.put(a);
      await fixture.store.put(b);
      expect((await fixture.store.get(a.token))?.phone).toBe("+15125550100");
      expect((await fixture.store.get(b.token))?.phone).toBe("+15125550199");
    });

    it("never overwrites an existing token", async () => {
      const record = sampleSmsLinkRecord();
      await fixture.store.put(record);
      await expect(fixture.store.put({ ...record, phone: "+15125550177" })).rejects.toThrow();
      expect(await fixture.store.get(record.token)).toEqual(record);
    });

    it("prunes tokens past their expiry in bounded batches, oldest first, and never a live one", async () => {
      const { store } = fixture;
      const e1 = sampleSmsLinkRecord({ createdAt: 0, expiresAt: 1_000 });
      const e2 = sampleSmsLinkRecord({ createdAt: 0, expiresAt: 2_000 });
      const e3 = sampleSmsLinkRecord({ createdAt: 0, expiresAt: 3_000 });
      const live = sampleSmsLinkRecord({ createdAt: 0, expiresAt: 10_000 });
      for (const record of [e3, live, e1, e2]) await store.put(record);

      expect(await store.prune(5_000, 0)).toBe(0);
      expect(await store.prune(999, 10)).toBe(0);
      // expiresAt exactly `now` is expired (the link answers 410 from that moment).
      expect(await store.prune(1_000, 10)).toBe(1);
      expect(await store.get(e1.token)).toBeNull();
      expect(await store.prune(5_000, 1)).toBe(1);
      expect(await store.get(e2.token)).toBeNull();
      // Not pruned yet: still read back, expired (the caller answers 410).
      expect(await store.get(e3.token)).toEqual(e3);
      expect(await store.prune(5_000, 10)).toBe(1);
      expect(await store.get(e3.token)).toBeNull();
      expect(await store.prune(5_000, 10)).toBe(0);
      expect(await store.get(live.token)).toEqual(live);
    });
  });
}
