import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { createDynamoDbLeadStore } from "../../../src/adapters/dynamodb/lead-store.js";
import { INDEX } from "../../../src/adapters/dynamodb/tables.js";
import { runLeadStoreContract } from "../../contracts/lead-store.contract.js";
import { type SeenRequest, startDynamoDbFaultProxy } from "../../support/dynamodb-fault-proxy.js";
import { dynamoDbTables } from "../../support/dynamodb-tables.js";

const DAY = 86_400_000;

// One dynalite for the file; each test gets a leads table of its own behind a proxy of its own, so
// "writes fail" is a real error answer on the wire, as a throttled table gives.
const tables = dynamoDbTables("leads");
afterAll(() => tables.close());

/** Every request the contract run sent, to check afterwards that none was a Scan. */
const seenByContract: SeenRequest[] = [];

async function openStore() {
  const proxy = await startDynamoDbFaultProxy(await tables.endpoint());
  // No retries: a refused write must surface at once (and keep the fault tests fast).
  const { client, tableName, close } = await tables.open([], { endpoint: proxy.endpoint, maxAttempts: 1 });
  return {
    store: createDynamoDbLeadStore({ client, tableName }),
    proxy,
    async raw(threadId: string) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: { thread_id: threadId } }),
      );
      return Item;
    },
    async close() {
      await close();
      await proxy.close();
    },
  };
}

runLeadStoreContract("dynamodb (dynalite)", async () => {
  const opened = await openStore();
  return {
    store: opened.store,
    async breakWrites() {
      opened.proxy.breakWrites();
    },
    async teardown() {
      seenByContract.push(...opened.proxy.seen);
      await opened.close();
    },
  };
});

describe("dynamodb lead store", () => {
  const lease = { threadId: "cthr_a", leaseId: "lease-1", now: 1_000_000, leaseExpiresAt: 1_060_000 };

  it("never sent a Scan during the whole contract run", () => {
    expect(seenByContract.some((r) => r.target === "DynamoDB_20120810.Query")).toBe(true);
    expect(seenByContract.filter((r) => r.target.endsWith(".Scan"))).toEqual([]);
  });

  it("answers the sweeper, prune and /healthz with one query on each index", async () => {
    const { store, proxy, close } = await openStore();
    try {
      await store.schedule("cthr_a", 1_000);
      await store.acquireLease({ ...lease, ttl: 2_000_000 });
      const before = proxy.seen.length;
      expect(await store.listDue(5_000, 10)).toEqual([{ threadId: "cthr_a", dueAt: 1_000 }]);
      expect(await store.countFailed(1_000_000)).toBe(0);
      expect(await store.prune(3_000_000, 10)).toEqual([{ threadId: "cthr_a", emailKey: null }]);
      const reads = proxy.seen.slice(before).filter((r) => r.target !== "DynamoDB_20120810.DeleteItem");
      expect(reads.map((r) => [r.target, r.body.IndexName])).toEqual([
        ["DynamoDB_20120810.Query", INDEX.leadsDue],
        ["DynamoDB_20120810.Query", INDEX.leadsFailed],
        ["DynamoDB_20120810.Query", INDEX.leadsExpiry],
      ]);
    } finally {
      await close();
    }
  });

  it("throws the table's own error when a write is refused, and reads still answer", async () => {
    const { store, proxy, close } = await openStore();
    try {
      await store.acquireLease({ ...lease, ttl: 2_000_000 });
      proxy.breakWrites();
      await expect(
        store.markSent({ threadId: "cthr_a", leaseId: "lease-1", messageId: "<m>", sentAt: 1_000_500 }),
      ).rejects.toMatchObject({ name: "ProvisionedThroughputExceededException" });
      await expect(store.schedule("cthr_a", 1_000)).rejects.toThrow(/writes are refused/);
      expect(await store.get("cthr_a")).toMatchObject({ state: "sending", leaseId: "lease-1" });
    } finally {
      await close();
    }
  });

  it("gives every row a ttl in epoch seconds, and keeps the exact expiry in ms", async () => {
    const { store, raw, close } = await openStore();
    try {
      const ttl = 1_700_000_000_123;
      await store.acquireLease({ ...lease, ttl });
      expect(await raw("cthr_a")).toMatchObject({ ttl: 1_700_000_001, expires_at: ttl, expiry_list: "lead" });
      expect((await store.get("cthr_a"))?.ttl).toBe(ttl);
      await store.schedule("cthr_a", 1_700_000_000_500);
      const due = await raw("due#cthr_a");
      expect(due).toMatchObject({ list: "due", due_at: 1_700_000_000_500 });
      expect(Number.isInteger(due?.ttl) && due?.ttl > 1_700_000_000 && due?.ttl < 1_800_000_000).toBe(true);
      // A due entry is no send row.
      expect(await store.get("due#cthr_a")).toBeNull();
    } finally {
      await close();
    }
  });

  it("takes a failed row off the failed index when it starts afresh after its ttl", async () => {
    const { store, raw, close } = await openStore();
    try {
      await store.acquireLease({ ...lease, ttl: 2_000_000 });
      expect(await store.markFailed({ threadId: "cthr_a", leaseId: "lease-1", error: "550" })).toBe(true);
      expect(await raw("cthr_a")).toMatchObject({ failed_list: "failed" });
      expect(await store.countFailed(1_500_000)).toBe(1);
      const reborn = await store.acquireLease({
        ...lease,
        leaseId: "lease-2",
        now: 2_000_000,
        ttl: 40 * DAY,
      });
      expect(reborn).toMatchObject({ acquired: true, record: { state: "sending", lastError: null } });
      expect(await raw("cthr_a")).not.toHaveProperty("failed_list");
      expect(await store.countFailed(1_500_000)).toBe(0);
    } finally {
      await close();
    }
  });

  it("grants exactly one of 200 concurrent acquisitions, and shows the others its holder", async () => {
    const { store, close } = await openStore();
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          store.acquireLease({ ...lease, leaseId: `lease-${i}`, ttl: 30 * DAY }),
        ),
      );
      const granted = results.filter((r) => r.acquired);
      expect(granted).toHaveLength(1);
      const holder = granted[0]?.record.leaseId;
      expect(results.every((r) => r.record.leaseId === holder)).toBe(true);
      expect((await store.get("cthr_a"))?.leaseId).toBe(holder);
    } finally {
      await close();
    }
  });
});
