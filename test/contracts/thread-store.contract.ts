import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type {
  ActivityCursor,
  StoredAttachment,
  StoredThreadItem,
  ThreadRecord,
  ThreadStore,
} from "../../src/ports/thread-store.js";

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
        userId: null,
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

    it("round-trips the owner", async () => {
      const created = await fixture.store.createThread({ id: "cthr_1", createdAt: 5, userId: "user_a" });
      expect(created).toEqual({
        id: "cthr_1",
        userId: "user_a",
        createdAt: 5,
        lastCustomerActivityAt: null,
        title: null,
      });
      expect(await fixture.store.getThread("cthr_1")).toEqual(created);
    });

    it("lists only the user's threads, newest first, page by page", async () => {
      const { store } = fixture;
      for (let i = 1; i <= 5; i++)
        await store.createThread({ id: `cthr_${i}`, createdAt: i * 1000, userId: "user_a" });
      await store.createThread({ id: "cthr_other", createdAt: 9000, userId: "user_b" });
      await store.createThread({ id: "cthr_anon", createdAt: 9500 });

      const first = await store.listThreads("user_a", { limit: 2 });
      expect(first.data.map((t) => t.id)).toEqual(["cthr_5", "cthr_4"]);
      expect(first).toMatchObject({ hasMore: true, after: "cthr_4" });
      const second = await store.listThreads("user_a", { limit: 2, after: first.after });
      expect(second.data.map((t) => t.id)).toEqual(["cthr_3", "cthr_2"]);
      expect(second).toMatchObject({ hasMore: true, after: "cthr_2" });
      const third = await store.listThreads("user_a", { limit: 2, after: second.after });
      expect(third.data.map((t) => t.id)).toEqual(["cthr_1"]);
      expect(third).toMatchObject({ hasMore: false, after: "cthr_1" });
      const past = await store.listThreads("user_a", { limit: 2, after: "cthr_1" });
      expect(past).toEqual({ data: [], hasMore: false, after: null });

      const all = await store.listThreads("user_a");
      expect(all.data.map((t) => t.id)).toEqual(["cthr_5", "cthr_4", "cthr_3", "cthr_2", "cthr_1"]);
      expect(all.hasMore).toBe(false);
      const asc = await store.listThreads("user_a", { order: "asc", limit: 5 });
      expect(asc.data.map((t) => t.id)).toEqual(["cthr_1", "cthr_2", "cthr_3", "cthr_4", "cthr_5"]);
      expect(asc.hasMore).toBe(false);
      expect((await store.listThreads("user_b")).data.map((t) => t.id)).toEqual(["cthr_other"]);
      expect(await store.listThreads("user_nobody")).toEqual({ data: [], hasMore: false, after: null });
    });

    it("breaks created_at ties by id so paging never skips a thread", async () => {
      const { store } = fixture;
      for (const id of ["cthr_a", "cthr_b", "cthr_c"])
        await store.createThread({ id, createdAt: 1000, userId: "u" });
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 5; page++) {
        const result = await store.listThreads("u", { limit: 1, after });
        seen.push(...result.data.map((t) => t.id));
        after = result.after;
        if (!result.hasMore) break;
      }
      expect(seen.sort()).toEqual(["cthr_a", "cthr_b", "cthr_c"]);
    });

    it("treats an unknown or foreign `after` id as the start", async () => {
      const { store } = fixture;
      await store.createThread({ id: "cthr_1", createdAt: 1, userId: "user_a" });
      await store.createThread({ id: "cthr_2", createdAt: 2, userId: "user_a" });
      await store.createThread({ id: "cthr_b", createdAt: 3, userId: "user_b" });
      for (const after of ["cthr_missing", "cthr_b"]) {
        expect((await store.listThreads("user_a", { after })).data.map((t) => t.id)).toEqual([
          "cthr_2",
          "cthr_1",
        ]);
      }
      await store.addItem("cthr_1", item("i1"));
      expect((await store.listItemsPage("cthr_1", { after: "nope" })).data.map((i) => i.id)).toEqual(["i1"]);
    });

    describe("listActive (the owner's console)", () => {
      const T = Date.parse("2026-03-01T10:00:00.000Z");
      const said = (id: string, at: number): StoredThreadItem => ({
        id,
        type: "user_message",
        created_at: new Date(at).toISOString(),
        content: [{ type: "input_text", text: id }],
      });

      /**
       * Customer activity: a at T+5s, b and c tied at T+7s, e at T+3s (an older message after it
       * moves nothing), f at T+9s from two users; d has only an assistant reply, g no item at all.
       */
      async function seed(store: ThreadStore) {
        const threads: [string, number, string | null][] = [
          ["cthr_a", T, "user_a"],
          ["cthr_b", T + 1, "user_a"],
          ["cthr_c", T + 2, null],
          ["cthr_d", T + 3, "user_b"],
          ["cthr_e", T - 60_000, "user_b"],
          ["cthr_f", T + 4, "user_c"],
          ["cthr_g", T + 10_000, "user_c"],
        ];
        for (const [id, createdAt, userId] of threads) await store.createThread({ id, createdAt, userId });
        await store.addItem("cthr_a", said("a1", T + 5_000));
        await store.addItem("cthr_b", said("b1", T + 7_000));
        await store.addItem("cthr_c", said("c1", T + 7_000));
        await store.addItem("cthr_d", item("d1"));
        await store.addItem("cthr_e", said("e1", T + 3_000));
        await store.addItem("cthr_e", said("e0", T + 1_000));
        await store.addItem("cthr_f", said("f1", T + 8_000));
        await store.addItem("cthr_f", item("f2"));
        await store.addItem("cthr_f", said("f3", T + 9_000));
      }
      const ids = (threads: ThreadRecord[]) => threads.map((t) => t.id);
      const NEWEST_FIRST = ["cthr_f", "cthr_c", "cthr_b", "cthr_a", "cthr_e"];

      it("lists threads the customer wrote in, newest activity first, ties by id descending", async () => {
        const { store } = fixture;
        expect(await store.listActive({ limit: 10 })).toEqual([]);
        await seed(store);
        const all = await store.listActive({ limit: 10 });
        expect(ids(all)).toEqual(NEWEST_FIRST);
        expect(all[0]).toEqual({
          id: "cthr_f",
          userId: "user_c",
          createdAt: T + 4,
          lastCustomerActivityAt: T + 9_000,
          title: null,
        });
        expect(all.map((t) => t.lastCustomerActivityAt)).toEqual([
          T + 9_000,
          T + 7_000,
          T + 7_000,
          T + 5_000,
          T + 3_000,
        ]);
        expect(ids(await store.listActive({ limit: 2, before: null, since: null }))).toEqual([
          "cthr_f",
          "cthr_c",
        ]);
        expect(await store.listActive({ limit: 0 })).toEqual([]);
      });

      it("pages strictly after the cursor, through ties, without losing or repeating a thread", async () => {
        const { store } = fixture;
        await seed(store);
        for (const size of [1, 2, 3]) {
          const seen: string[] = [];
          let before: ActivityCursor | null = null;
          for (let page = 0; page < 10; page++) {
            const threads = await store.listActive({ limit: size, before });
            expect(threads.length).toBeLessThanOrEqual(size);
            seen.push(...ids(threads));
            const last = threads.at(-1);
            if (!last) break;
            before = { at: last.lastCustomerActivityAt ?? 0, threadId: last.id };
          }
          expect(seen).toEqual(NEWEST_FIRST);
        }
        // Inside a tie the id decides; the cursor's own thread is never listed again.
        const tie = { at: T + 7_000 };
        expect(ids(await store.listActive({ limit: 10, before: { ...tie, threadId: "cthr_c" } }))).toEqual([
          "cthr_b",
          "cthr_a",
          "cthr_e",
        ]);
        expect(ids(await store.listActive({ limit: 10, before: { ...tie, threadId: "cthr_bz" } }))).toEqual([
          "cthr_b",
          "cthr_a",
          "cthr_e",
        ]);
        expect(ids(await store.listActive({ limit: 10, before: { ...tie, threadId: "cthr_b" } }))).toEqual([
          "cthr_a",
          "cthr_e",
        ]);
        expect(await store.listActive({ limit: 10, before: { at: T + 3_000, threadId: "cthr_e" } })).toEqual(
          [],
        );
      });

      it("takes `since` as an inclusive lower bound on the last activity, with or without a cursor", async () => {
        const { store } = fixture;
        await seed(store);
        expect(ids(await store.listActive({ limit: 10, since: T + 5_000 }))).toEqual([
          "cthr_f",
          "cthr_c",
          "cthr_b",
          "cthr_a",
        ]);
        expect(ids(await store.listActive({ limit: 10, since: T + 5_001 }))).toEqual([
          "cthr_f",
          "cthr_c",
          "cthr_b",
        ]);
        expect(ids(await store.listActive({ limit: 2, since: T + 5_000 }))).toEqual(["cthr_f", "cthr_c"]);
        const cursor = { at: T + 7_000, threadId: "cthr_c" };
        expect(ids(await store.listActive({ limit: 10, before: cursor, since: T + 5_000 }))).toEqual([
          "cthr_b",
          "cthr_a",
        ]);
        expect(ids(await store.listActive({ limit: 10, before: cursor, since: T + 7_000 }))).toEqual([
          "cthr_b",
        ]);
        expect(await store.listActive({ limit: 10, before: cursor, since: T + 8_000 })).toEqual([]);
        expect(await store.listActive({ limit: 10, since: T + 10_000 })).toEqual([]);
      });

      it("moves a thread up when its customer writes again, and drops deleted threads", async () => {
        const { store } = fixture;
        await seed(store);
        await store.addItem("cthr_e", said("e2", T + 20_000));
        await store.addItem("cthr_d", said("d2", T + 6_000));
        await store.deleteThread("cthr_c");
        expect(ids(await store.listActive({ limit: 10 }))).toEqual([
          "cthr_e",
          "cthr_f",
          "cthr_b",
          "cthr_d",
          "cthr_a",
        ]);
      });
    });

    it("updates the title and answers null for an unknown thread", async () => {
      const { store } = fixture;
      await store.createThread({ id: "cthr_1", createdAt: 1, userId: "u", title: "Old" });
      const updated = await store.updateThread("cthr_1", { title: "Headliner" });
      expect(updated).toMatchObject({ id: "cthr_1", userId: "u", title: "Headliner" });
      expect((await store.getThread("cthr_1"))?.title).toBe("Headliner");
      expect((await store.updateThread("cthr_1", { title: null }))?.title).toBeNull();
      expect(await store.updateThread("cthr_missing", { title: "x" })).toBeNull();
      expect(await store.getThread("cthr_missing")).toBeNull();
    });

    it("deletes a thread with its items and attachment rows, idempotently", async () => {
      const { store } = fixture;
      await store.createThread({ id: "cthr_1", createdAt: 1, userId: "u" });
      await store.createThread({ id: "cthr_2", createdAt: 2, userId: "u" });
      await store.addItem("cthr_1", item("i1"));
      await store.addItem("cthr_2", item("i2"));
      await store.saveAttachment(attachment({ id: "att_1", threadId: "cthr_1" }));
      await store.saveAttachment(attachment({ id: "att_2", threadId: "cthr_2" }));
      await store.saveAttachment(attachment({ id: "att_loose", threadId: null }));

      await store.deleteThread("cthr_1");
      expect(await store.getThread("cthr_1")).toBeNull();
      expect(await store.listItems("cthr_1")).toEqual([]);
      expect(await store.countItems("cthr_1")).toBe(0);
      expect(await store.getAttachment("att_1")).toBeNull();
      // Other threads and not-yet-referenced uploads are untouched.
      expect((await store.listItems("cthr_2")).map((i) => i.id)).toEqual(["i2"]);
      expect(await store.getAttachment("att_2")).not.toBeNull();
      expect(await store.getAttachment("att_loose")).not.toBeNull();
      await expect(store.deleteThread("cthr_1")).resolves.toBeUndefined();
      await expect(store.deleteThread("cthr_never")).resolves.toBeUndefined();
      // The id is free again and starts empty.
      await store.createThread({ id: "cthr_1", createdAt: 3, userId: "u" });
      expect(await store.listItems("cthr_1")).toEqual([]);
    });

    it("pages items in both orders with after, limit and hasMore", async () => {
      const { store } = fixture;
      await store.createThread({ id: "cthr_1", createdAt: 1 });
      for (const id of ["i1", "i2", "i3", "i4", "i5"]) await store.addItem("cthr_1", item(id));
      const ids = (page: { data: StoredThreadItem[] }) => page.data.map((i) => i.id);

      const a1 = await store.listItemsPage("cthr_1", { limit: 2 });
      expect([ids(a1), a1.hasMore, a1.after]).toEqual([["i1", "i2"], true, "i2"]);
      const a2 = await store.listItemsPage("cthr_1", { limit: 2, after: "i2", order: "asc" });
      expect([ids(a2), a2.hasMore, a2.after]).toEqual([["i3", "i4"], true, "i4"]);
      const a3 = await store.listItemsPage("cthr_1", { limit: 2, after: "i4" });
      expect([ids(a3), a3.hasMore, a3.after]).toEqual([["i5"], false, "i5"]);
      // Exactly `limit` left: no phantom next page.
      const exact = await store.listItemsPage("cthr_1", { limit: 2, after: "i3" });
      expect([ids(exact), exact.hasMore]).toEqual([["i4", "i5"], false]);

      const d1 = await store.listItemsPage("cthr_1", { limit: 3, order: "desc" });
      expect([ids(d1), d1.hasMore, d1.after]).toEqual([["i5", "i4", "i3"], true, "i3"]);
      const d2 = await store.listItemsPage("cthr_1", { limit: 3, order: "desc", after: "i3" });
      expect([ids(d2), d2.hasMore, d2.after]).toEqual([["i2", "i1"], false, "i1"]);

      const all = await store.listItemsPage("cthr_1");
      expect([ids(all), all.hasMore]).toEqual([["i1", "i2", "i3", "i4", "i5"], false]);
      expect(await store.listItemsPage("cthr_missing")).toEqual({ data: [], hasMore: false, after: null });
      // The whole stored item comes back, not just its id.
      expect(a1.data[0]).toEqual(item("i1"));
    });

    it("caps the page size at 100 and defaults it to 20", async () => {
      const { store } = fixture;
      await store.createThread({ id: "cthr_1", createdAt: 1 });
      for (let i = 0; i < 105; i++) await store.addItem("cthr_1", item(`i${i}`));
      expect((await store.listItemsPage("cthr_1")).data).toHaveLength(20);
      const big = await store.listItemsPage("cthr_1", { limit: 1000 });
      expect([big.data.length, big.hasMore]).toEqual([100, true]);
    });

    it("counts items", async () => {
      const { store } = fixture;
      await store.createThread({ id: "cthr_1", createdAt: 1 });
      expect(await store.countItems("cthr_1")).toBe(0);
      await store.addItem("cthr_1", item("i1"));
      await store.addItem("cthr_1", item("i2"));
      expect(await store.countItems("cthr_1")).toBe(2);
      expect(await store.countItems("cthr_missing")).toBe(0);
    });

    it("deletes exactly one item; the rest keep their order, cursors and count", async () => {
      const { store } = fixture;
      await store.createThread({ id: "cthr_1", createdAt: 1 });
      for (const id of ["i1", "i2", "i3", "i4", "i5"]) await store.addItem("cthr_1", item(id));
      const ids = (page: { data: StoredThreadItem[] }) => page.data.map((i) => i.id);

      expect(await store.deleteItem("cthr_1", "i3")).toBe(true);
      expect((await store.listItems("cthr_1")).map((i) => i.id)).toEqual(["i1", "i2", "i4", "i5"]);
      expect(await store.countItems("cthr_1")).toBe(4);
      const a1 = await store.listItemsPage("cthr_1", { limit: 2 });
      expect([ids(a1), a1.hasMore, a1.after]).toEqual([["i1", "i2"], true, "i2"]);
      const a2 = await store.listItemsPage("cthr_1", { limit: 2, after: "i2" });
      expect([ids(a2), a2.hasMore, a2.after]).toEqual([["i4", "i5"], false, "i5"]);
      const d1 = await store.listItemsPage("cthr_1", { limit: 2, order: "desc", after: "i4" });
      expect([ids(d1), d1.hasMore]).toEqual([["i2", "i1"], false]);
      // The deleted id is now an unknown cursor: it starts from the beginning.
      expect(ids(await store.listItemsPage("cthr_1", { after: "i3" }))).toEqual(["i1", "i2", "i4", "i5"]);

      // Gone is gone: a second delete answers false; the ends go as well as the middle.
      expect(await store.deleteItem("cthr_1", "i3")).toBe(false);
      expect(await store.deleteItem("cthr_1", "i1")).toBe(true);
      expect(await store.deleteItem("cthr_1", "i5")).toBe(true);
      expect((await store.listItems("cthr_1")).map((i) => i.id)).toEqual(["i2", "i4"]);
      expect(await store.countItems("cthr_1")).toBe(2);
      // The id is free again; a new item with it goes to the end.
      await store.addItem("cthr_1", item("i3"));
      expect((await store.listItems("cthr_1")).map((i) => i.id)).toEqual(["i2", "i4", "i3"]);
      expect(ids(await store.listItemsPage("cthr_1", { after: "i4" }))).toEqual(["i3"]);
      expect(await store.countItems("cthr_1")).toBe(3);
    });

    it("deletes no item it does not hold: unknown ids, another thread's items, unknown threads", async () => {
      const { store } = fixture;
      await store.createThread({ id: "cthr_1", createdAt: 1, userId: "u" });
      await store.createThread({ id: "cthr_2", createdAt: 2, userId: "u" });
      await store.addItem("cthr_1", item("i1"));
      await store.addItem("cthr_2", item("j1"));

      expect(await store.deleteItem("cthr_1", "nope")).toBe(false);
      expect(await store.deleteItem("cthr_1", "j1")).toBe(false);
      expect(await store.deleteItem("cthr_missing", "i1")).toBe(false);
      expect(await store.listItems("cthr_1")).toEqual([item("i1")]);
      expect(await store.listItems("cthr_2")).toEqual([item("j1")]);
      expect([await store.countItems("cthr_1"), await store.countItems("cthr_2")]).toEqual([1, 1]);
      expect(await store.getThread("cthr_missing")).toBeNull();
    });

    it("keeps the customer's last activity when their message is deleted", async () => {
      const { store } = fixture;
      await store.createThread({ id: "cthr_1", createdAt: 1 });
      const at = "2026-01-01T00:10:00.000Z";
      await store.addItem("cthr_1", { id: "u1", type: "user_message", created_at: at, content: [] });
      expect(await store.deleteItem("cthr_1", "u1")).toBe(true);
      expect((await store.getThread("cthr_1"))?.lastCustomerActivityAt).toBe(Date.parse(at));
    });

    it("replaces an item in place, keeping its id and position", async () => {
      const { store } = fixture;
      await store.createThread({ id: "cthr_1", createdAt: 1 });
      for (const id of ["i1", "i2", "i3"]) await store.addItem("cthr_1", item(id));
      const rated = { ...item("i2"), feedback: "positive", content: [{ type: "output_text", text: "new" }] };

      expect(await store.replaceItem("cthr_1", rated)).toBe(true);
      expect(await store.listItems("cthr_1")).toEqual([item("i1"), rated, item("i3")]);
      expect(await store.countItems("cthr_1")).toBe(3);
      const page = await store.listItemsPage("cthr_1", { limit: 1, after: "i1" });
      expect([page.data, page.hasMore, page.after]).toEqual([[rated], true, "i2"]);
      expect((await store.listItemsPage("cthr_1", { after: "i2" })).data).toEqual([item("i3")]);
      expect((await store.listItemsPage("cthr_1", { order: "desc", after: "i3" })).data).toEqual([
        rated,
        item("i1"),
      ]);
      // Replacing again replaces the replacement; the stored copy is the caller's no more.
      const plain = item("i2");
      expect(await store.replaceItem("cthr_1", plain)).toBe(true);
      plain.content = [];
      expect((await store.listItems("cthr_1"))[1]).toEqual(item("i2"));
    });

    it("replaces no item it does not hold: unknown ids, another thread's items, deleted items", async () => {
      const { store } = fixture;
      await store.createThread({ id: "cthr_1", createdAt: 1 });
      await store.createThread({ id: "cthr_2", createdAt: 2 });
      await store.addItem("cthr_1", item("i1"));
      await store.addItem("cthr_1", item("i2"));
      await store.addItem("cthr_2", item("j1"));
      const changed = (id: string) => ({ ...item(id), content: [] });

      expect(await store.replaceItem("cthr_1", changed("nope"))).toBe(false);
      expect(await store.replaceItem("cthr_1", changed("j1"))).toBe(false);
      expect(await store.replaceItem("cthr_missing", changed("i1"))).toBe(false);
      await store.deleteItem("cthr_1", "i2");
      expect(await store.replaceItem("cthr_1", changed("i2"))).toBe(false);

      expect(await store.listItems("cthr_1")).toEqual([item("i1")]);
      expect(await store.listItems("cthr_2")).toEqual([item("j1")]);
      expect([await store.countItems("cthr_1"), await store.countItems("cthr_2")]).toEqual([1, 1]);
      expect(await store.getThread("cthr_missing")).toBeNull();
      expect(await store.listItems("cthr_missing")).toEqual([]);
    });

    it("saves, reads, replaces and deletes attachment rows", async () => {
      const { store } = fixture;
      const pending = attachment({ id: "att_1", threadId: null, key: null, size: null, previewUrl: null });
      await store.saveAttachment(pending);
      expect(await store.getAttachment("att_1")).toEqual(pending);
      const uploaded = {
        ...pending,
        threadId: "cthr_1",
        key: "chatkit-attachments/att_1.jpg",
        size: 1234,
        previewUrl: "http://localhost:8787/api/attachments?id=chatkit-attachments%2Fatt_1.jpg",
      };
      await store.saveAttachment(uploaded);
      expect(await store.getAttachment("att_1")).toEqual(uploaded);
      expect(await store.getAttachment("att_missing")).toBeNull();
      await store.deleteAttachment("att_1");
      expect(await store.getAttachment("att_1")).toBeNull();
      await expect(store.deleteAttachment("att_1")).resolves.toBeUndefined();
    });

    it("lists a thread's attachment rows (so their blobs can go with it), none after the delete", async () => {
      const { store } = fixture;
      await store.createThread({ id: "cthr_1", createdAt: 1, userId: "u" });
      await store.createThread({ id: "cthr_2", createdAt: 2, userId: "u" });
      const first = attachment({ id: "att_a", threadId: "cthr_1", createdAt: 10 });
      const second = attachment({ id: "att_b", threadId: "cthr_1", createdAt: 20, key: null });
      await store.saveAttachment(second);
      await store.saveAttachment(first);
      await store.saveAttachment(attachment({ id: "att_other", threadId: "cthr_2", createdAt: 5 }));
      await store.saveAttachment(attachment({ id: "att_loose", threadId: null, createdAt: 5 }));

      expect(await store.listThreadAttachments("cthr_1")).toEqual([first, second]);
      expect((await store.listThreadAttachments("cthr_2")).map((a) => a.id)).toEqual(["att_other"]);
      expect(await store.listThreadAttachments("cthr_never")).toEqual([]);
      await store.deleteThread("cthr_1");
      expect(await store.listThreadAttachments("cthr_1")).toEqual([]);
    });

    it("lists uploads never sent in a message, older than the cut-off, oldest first, at most `limit`", async () => {
      const { store } = fixture;
      const day = 86_400_000;
      const now = 100 * day;
      const old1 = attachment({ id: "att_old1", threadId: null, createdAt: now - 3 * day });
      const old2 = attachment({ id: "att_old2", threadId: null, createdAt: now - 2 * day, key: null });
      const old3 = attachment({ id: "att_old3", threadId: null, createdAt: now - day - 1 });
      for (const row of [old3, old1, old2]) await store.saveAttachment(row);
      // Exactly at the cut-off, younger, or sent in a message: never listed.
      await store.saveAttachment(attachment({ id: "att_edge", threadId: null, createdAt: now - day }));
      await store.saveAttachment(attachment({ id: "att_young", threadId: null, createdAt: now - 1000 }));
      await store.saveAttachment(
        attachment({ id: "att_sent", threadId: "cthr_1", createdAt: now - 9 * day }),
      );

      expect(await store.listOrphanAttachments(now - day, 10)).toEqual([old1, old2, old3]);
      expect((await store.listOrphanAttachments(now - day, 2)).map((a) => a.id)).toEqual([
        "att_old1",
        "att_old2",
      ]);
      expect(await store.listOrphanAttachments(now - day, 0)).toEqual([]);
      expect(await store.listOrphanAttachments(now - 5 * day, 10)).toEqual([]);

      // Once sent in a message it is no orphan, however old; once deleted it is gone.
      await store.saveAttachment({ ...old1, threadId: "cthr_1" });
      await store.deleteAttachment("att_old2");
      expect((await store.listOrphanAttachments(now - day, 10)).map((a) => a.id)).toEqual(["att_old3"]);
    });
  });
}

function item(id: string): StoredThreadItem {
  return {
    id,
    type: "assistant_message",
    created_at: "2026-01-01T00:00:00.000Z",
    content: [{ type: "output_text", text: `text ${id}` }],
  };
}

function attachment(overrides: Partial<StoredAttachment> & { id: string }): StoredAttachment {
  return {
    userId: "u",
    threadId: null,
    name: "seat.jpg",
    mimeType: "image/jpeg",
    type: "image",
    key: `chatkit-attachments/${overrides.id}.jpg`,
    size: 10,
    previewUrl: null,
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}
