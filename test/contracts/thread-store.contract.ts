import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ThreadStore } from "../../src/ports/thread-store.js";

/** What a ThreadStore contract run needs from an adapter. */
export interface ThreadStoreFixture {
  store: ThreadStore;
  teardown(): Promise<void>;
}

/** The ThreadStore contract: every adapter must pass it. */
export function runThreadStoreContract(name: string, setup: () => Promise<ThreadStoreFixture>): void {
  describe(`ThreadStore contract: ${name}`, () => {
    let fixture: ThreadStoreFixture;
    beforeEach(async () => {
      fixture = await setup();
    });
    afterEach(async () => fixture.teardown());

    it("creates and reads a thread", async () => {
      await fixture.store.createThread({ id: "cthr_1", createdAt: 1000, title: "Seat" });
      expect(await fixture.store.getThread("cthr_1")).toEqual({
        id: "cthr_1",
        createdAt: 1000,
        lastCustomerActivityAt: null,
        title: "Seat",
      });
      expect(await fixture.store.getThread("cthr_2")).toBeNull();
    });

    it("lists items in insertion order and tracks the customer's last activity only", async () => {
      const { store } = fixture;
      await store.createThread({ id: "cthr_1", createdAt: 0 });
      const user = (id: string, iso: string) => ({
        id,
        type: "user_message",
        created_at: iso,
        content: [{ type: "input_text", text: id }],
      });
      await store.addItem("cthr_1", user("u1", "2026-01-01T00:00:00.000Z"));
      await store.addItem("cthr_1", {
        id: "a1",
        type: "assistant_message",
        created_at: "2026-01-01T00:05:00.000Z",
        content: [{ type: "output_text", text: "hi" }],
      });
      expect((await store.getThread("cthr_1"))?.lastCustomerActivityAt).toBe(
        Date.parse("2026-01-01T00:00:00.000Z"),
      );
      await store.addItem("cthr_1", user("u2", "2026-01-01T00:10:00.000Z"));
      expect((await store.getThread("cthr_1"))?.lastCustomerActivityAt).toBe(
        Date.parse("2026-01-01T00:10:00.000Z"),
      );
      expect((await store.listItems("cthr_1")).map((i) => i.id)).toEqual(["u1", "a1", "u2"]);
    });

    it("refuses items for an unknown thread", async () => {
      await expect(
        fixture.store.addItem("cthr_missing", {
          id: "x",
          type: "user_message",
          created_at: "2026-01-01T00:00:00Z",
        }),
      ).rejects.toThrow();
    });
  });
}
