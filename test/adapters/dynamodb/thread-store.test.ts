import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { INDEX } from "../../../src/adapters/dynamodb/tables.js";
import { createDynamoDbThreadStore } from "../../../src/adapters/dynamodb/thread-store.js";
import { runThreadStoreContract } from "../../contracts/thread-store.contract.js";
import { dynamoDbTables, type SentCommand } from "../../support/dynamodb-tables.js";

// One dynalite for the file; each test gets a threads table of its own.
const tables = dynamoDbTables("threads");
afterAll(() => tables.close());

const DAY = 86_400_000;

/** Every request the contract run sent, to check afterwards that none was a Scan. */
const sentByContract: SentCommand[] = [];

async function openTable(sent?: SentCommand[]) {
  const { client, tableName, close } = await tables.open(sent);
  /** Every row of the table, through the key-condition of each partition the test names. */
  async function rowsOf(...pks: string[]) {
    const rows: Record<string, unknown>[] = [];
    for (const pk of pks) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": pk },
        }),
      );
      rows.push(...Items);
    }
    return rows;
  }
  return { client, tableName, rowsOf, close };
}

runThreadStoreContract("dynamodb (dynalite)", async () => {
  const { client, tableName, close } = await openTable(sentByContract);
  return { store: createDynamoDbThreadStore({ client, tableName, ttlDays: 365 }), teardown: close };
});

describe("dynamodb thread store", () => {
  it("never scans: a user's threads, the active threads and the attachment listings come from their indexes", () => {
    const names = new Set(sentByContract.map((s) => s.name));
    expect(names).toContain("QueryCommand");
    expect(names).not.toContain("ScanCommand");
    const indexes = new Set(sentByContract.map((s) => s.input.IndexName).filter(Boolean));
    expect(indexes).toEqual(
      new Set([INDEX.threadsByUser, INDEX.threadsActive, INDEX.attachmentsByThread, INDEX.orphanAttachments]),
    );
  });

  it("keys the sparse active index with the customer's activity only, one query a page", async () => {
    const sent: SentCommand[] = [];
    const { client, tableName, rowsOf, close } = await openTable(sent);
    try {
      const store = createDynamoDbThreadStore({ client, tableName, ttlDays: 365 });
      await store.createThread({ id: "cthr_1", createdAt: 1 });
      await store.addItem("cthr_1", {
        id: "a1",
        type: "assistant_message",
        created_at: "2026-01-01T00:00:00Z",
      });
      const meta = async () => (await rowsOf("thread#cthr_1")).find((r) => r.sk === "thread");
      expect(await meta()).not.toHaveProperty("active_list");
      expect(await meta()).not.toHaveProperty("activity_sort");
      const at = Date.parse("2026-01-01T00:05:00.000Z");
      await store.addItem("cthr_1", {
        id: "u1",
        type: "user_message",
        created_at: new Date(at).toISOString(),
      });
      // An older message moves neither the activity nor the index key.
      await store.addItem("cthr_1", { id: "u0", type: "user_message", created_at: "2025-12-31T00:00:00Z" });
      expect(await meta()).toMatchObject({
        last_customer_activity_at: at,
        active_list: "active",
        activity_sort: `000${at}#cthr_1`,
      });

      const before = sent.length;
      expect(await store.listActive({ limit: 5, since: at - 1 })).toHaveLength(1);
      expect(sent.slice(before).map((s) => [s.name, s.input.IndexName, s.input.ScanIndexForward])).toEqual([
        ["QueryCommand", INDEX.threadsActive, false],
      ]);
    } finally {
      await close();
    }
  });

  it("gives every row a ttl in epoch seconds, ttlDays past its write, and moves the thread's on each item", async () => {
    const { client, tableName, rowsOf, close } = await openTable();
    try {
      let now = 1_800_000_000_000;
      const store = createDynamoDbThreadStore({ client, tableName, ttlDays: 30, now: () => now });
      await store.createThread({ id: "cthr_1", createdAt: now, userId: "u" });
      await store.saveAttachment({
        id: "att_1",
        userId: "u",
        threadId: "cthr_1",
        name: "seat.jpg",
        mimeType: "image/jpeg",
        type: "image",
        key: null,
        size: null,
        previewUrl: null,
        createdAt: now,
      });
      const created = (now + 30 * DAY) / 1000;
      now += DAY;
      await store.addItem("cthr_1", {
        id: "u1",
        type: "user_message",
        created_at: new Date(now).toISOString(),
        content: [],
      });
      const moved = (now + 30 * DAY) / 1000;

      const rows = await rowsOf("thread#cthr_1", "attachment#att_1");
      expect(rows.map((r) => [r.sk, r.ttl])).toEqual([
        ["item#0000000001", moved],
        ["pos#u1", moved],
        ["thread", moved],
        ["attachment", created],
      ]);
      expect(rows.every((r) => typeof r.ttl === "number" && Number.isInteger(r.ttl))).toBe(true);
    } finally {
      await close();
    }
  });

  it("keeps every item of concurrent writers, each in its own slot, and counts them", async () => {
    const { client, tableName, close } = await openTable();
    try {
      const store = createDynamoDbThreadStore({ client, tableName, ttlDays: 365 });
      await store.createThread({ id: "cthr_1", createdAt: 1 });
      const ids = Array.from({ length: 12 }, (_, i) => `i${i}`);
      await Promise.all(
        ids.map((id) =>
          store.addItem("cthr_1", { id, type: "assistant_message", created_at: "2026-01-01T00:00:00Z" }),
        ),
      );
      expect((await store.listItems("cthr_1")).map((i) => i.id).sort()).toEqual([...ids].sort());
      expect(await store.countItems("cthr_1")).toBe(12);
    } finally {
      await close();
    }
  });

  it("refuses a second item with the same id and keeps the count exact", async () => {
    const { client, tableName, close } = await openTable();
    try {
      const store = createDynamoDbThreadStore({ client, tableName, ttlDays: 365 });
      await store.createThread({ id: "cthr_1", createdAt: 1 });
      const item = { id: "i1", type: "assistant_message", created_at: "2026-01-01T00:00:00Z" };
      await store.addItem("cthr_1", item);
      await expect(store.addItem("cthr_1", { ...item, text: "again" })).rejects.toThrow(/already exists/);
      await store.addItem("cthr_1", { ...item, id: "i2" });
      expect(await store.listItems("cthr_1")).toEqual([item, { ...item, id: "i2" }]);
      expect(await store.countItems("cthr_1")).toBe(2);
      expect((await store.listItemsPage("cthr_1", { after: "i1" })).data.map((i) => i.id)).toEqual(["i2"]);
    } finally {
      await close();
    }
  });

  it("deletes an item's row and position row and counts it out; a replace rewrites only its row", async () => {
    const { client, tableName, rowsOf, close } = await openTable();
    try {
      let now = 1_800_000_000_000;
      const store = createDynamoDbThreadStore({ client, tableName, ttlDays: 30, now: () => now });
      await store.createThread({ id: "cthr_1", createdAt: 1 });
      const item = (id: string) => ({ id, type: "assistant_message", created_at: "2026-01-01T00:00:00Z" });
      for (const id of ["i1", "i2", "i3"]) await store.addItem("cthr_1", item(id));
      const ttl = (now + 30 * DAY) / 1000;

      expect(await store.deleteItem("cthr_1", "i2")).toBe(true);
      now += DAY;
      expect(await store.replaceItem("cthr_1", { ...item("i3"), feedback: "negative" })).toBe(true);
      expect(await store.replaceItem("cthr_1", item("i2"))).toBe(false);
      const rows = await rowsOf("thread#cthr_1");
      expect(rows.map((r) => r.sk)).toEqual([
        "item#0000000001",
        "item#0000000003",
        "pos#i1",
        "pos#i3",
        "thread",
      ]);
      const meta = rows.find((r) => r.sk === "thread");
      expect([meta?.item_count, meta?.item_seq]).toEqual([2, 3]);
      const replaced = rows.find((r) => r.sk === "item#0000000003");
      expect(replaced).toMatchObject({ item_id: "i3", ttl });
      expect(JSON.parse(String(replaced?.data))).toEqual({ ...item("i3"), feedback: "negative" });
    } finally {
      await close();
    }
  });

  it("counts an item out once when two deletes race", async () => {
    const { client, tableName, close } = await openTable();
    try {
      const store = createDynamoDbThreadStore({ client, tableName, ttlDays: 365 });
      await store.createThread({ id: "cthr_1", createdAt: 1 });
      for (const id of ["i1", "i2"])
        await store.addItem("cthr_1", { id, type: "assistant_message", created_at: "2026-01-01T00:00:00Z" });
      const answers = await Promise.all([store.deleteItem("cthr_1", "i1"), store.deleteItem("cthr_1", "i1")]);
      expect(answers.sort()).toEqual([false, true]);
      expect(await store.countItems("cthr_1")).toBe(1);
      expect((await store.listItems("cthr_1")).map((i) => i.id)).toEqual(["i2"]);
    } finally {
      await close();
    }
  });

  it("never moves the customer's last activity back, and refuses a second thread with the same id", async () => {
    const { client, tableName, close } = await openTable();
    try {
      const store = createDynamoDbThreadStore({ client, tableName, ttlDays: 365 });
      await store.createThread({ id: "cthr_1", createdAt: 1 });
      const user = (id: string, iso: string) => ({ id, type: "user_message", created_at: iso });
      await store.addItem("cthr_1", user("u1", "2026-01-02T00:00:00.000Z"));
      await store.addItem("cthr_1", user("u2", "2026-01-01T00:00:00.000Z"));
      await store.addItem("cthr_1", user("u3", "not a date"));
      expect((await store.getThread("cthr_1"))?.lastCustomerActivityAt).toBe(Date.parse("2026-01-02"));
      expect(await store.countItems("cthr_1")).toBe(3);
      await expect(store.createThread({ id: "cthr_1", createdAt: 2 })).rejects.toThrow(/already exists/);
    } finally {
      await close();
    }
  });
});
