import { DeleteCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { createDynamoDbLeadJournal } from "../../../src/adapters/dynamodb/lead-journal.js";
import { INDEX } from "../../../src/adapters/dynamodb/tables.js";
import {
  runLeadJournalContract,
  sampleDecision,
  sampleOutcome,
} from "../../contracts/lead-journal.contract.js";
import { type SeenRequest, startDynamoDbFaultProxy } from "../../support/dynamodb-fault-proxy.js";
import { dynamoDbTables } from "../../support/dynamodb-tables.js";

// One dynalite for the file; each test gets a journal table of its own behind a proxy of its own,
// so "writes fail" is a real error answer on the wire, as a throttled table gives.
const tables = dynamoDbTables("journal");
afterAll(() => tables.close());

/** Every request the contract run sent, to check afterwards which reads it made. */
const seenByContract: SeenRequest[] = [];

async function openJournal(now?: () => number) {
  const proxy = await startDynamoDbFaultProxy(await tables.endpoint());
  // No retries: a refused write must surface at once (and keep the fault tests fast).
  const { client, tableName, close } = await tables.open([], { endpoint: proxy.endpoint, maxAttempts: 1 });
  return {
    journal: createDynamoDbLeadJournal({ client, tableName, ...(now ? { now } : {}) }),
    client,
    tableName,
    proxy,
    /** Every item of the table, as stored. */
    async items(threadId: string) {
      const { Items } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "thread_id = :t",
          ExpressionAttributeValues: { ":t": threadId },
        }),
      );
      return Items ?? [];
    },
    async close() {
      await close();
      await proxy.close();
    },
  };
}

runLeadJournalContract("dynamodb (dynalite)", async () => {
  const opened = await openJournal();
  return {
    journal: opened.journal,
    async breakWrites() {
      opened.proxy.breakWrites();
    },
    async teardown() {
      seenByContract.push(...opened.proxy.seen);
      await opened.close();
    },
  };
});

describe("dynamodb lead journal", () => {
  it("never scanned during the contract run: a thread by its key, outcomes and expiry by their indexes", () => {
    expect(seenByContract.filter((r) => r.target.endsWith(".Scan"))).toEqual([]);
    const queries = seenByContract.filter((r) => r.target === "DynamoDB_20120810.Query").map((r) => r.body);
    expect(queries.length).toBeGreaterThan(0);
    const indexes = new Set(queries.map((q) => q.IndexName ?? "table"));
    expect([...indexes].sort()).toEqual(["table", INDEX.journalExpiry, INDEX.journalOutcomes].sort());
    // Reads of a thread are consistent: an append sees every entry that was answered before it.
    for (const query of queries.filter((q) => q.IndexName === undefined))
      expect(query.ConsistentRead).toBe(true);
  });

  it("stores one item per entry: id as the sort key, ttl in seconds, nulls absent, outcomes in the sparse index", async () => {
    const opened = await openJournal(() => 5_499);
    try {
      const decision = await opened.journal.append(
        sampleDecision({ threadId: "cthr_raw", at: 1_000, ttl: 5_500, actor: null, detail: null }),
      );
      const outcome = await opened.journal.append(
        sampleOutcome({ threadId: "cthr_raw", at: 1_000, ttl: 5_500, value: null, currency: null }),
      );
      expect(decision.id).toMatch(/^000000000001000-000000-[0-9a-f]{10}$/);
      expect(outcome.id).toMatch(/^000000000001000-000001-[0-9a-f]{10}$/);
      const [rawDecision, rawOutcome] = await opened.items("cthr_raw");
      expect(rawDecision).toEqual({
        thread_id: "cthr_raw",
        entry_key: decision.id,
        at: 1_000,
        kind: "decision",
        trigger: "idle",
        lead_reason: "not_ready",
        expires_at: 5_500,
        ttl: 6,
        expiry_list: "journal",
      });
      expect(rawOutcome).toEqual({
        thread_id: "cthr_raw",
        entry_key: outcome.id,
        at: 1_000,
        kind: "outcome",
        outcome: "won",
        actor: "Sam",
        expires_at: 5_500,
        ttl: 6,
        expiry_list: "journal",
        outcome_list: "outcome",
      });
      expect(await opened.journal.list("cthr_raw", 10)).toEqual([decision, outcome]);
      // Past its ttl but not yet deleted (DynamoDB deletes lazily): hidden.
      const later = createDynamoDbLeadJournal({
        client: opened.client,
        tableName: opened.tableName,
        now: () => 5_500,
      });
      expect(await later.list("cthr_raw", 10)).toEqual([]);
      expect(await later.listOutcomes({ since: 0, limit: 10 })).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it("refuses times a key cannot hold and cursors it did not hand out", async () => {
    const opened = await openJournal();
    try {
      await expect(opened.journal.append(sampleDecision({ at: -1 }))).rejects.toThrow(RangeError);
      await expect(opened.journal.append(sampleDecision({ at: 1.5 }))).rejects.toThrow(RangeError);
      await expect(
        opened.journal.listOutcomes({ since: 0, limit: 10, after: { at: 2000, id: "000000000001000-x" } }),
      ).rejects.toThrow(/not a cursor of this journal/);
      expect(await opened.journal.listOutcomes({ since: 10 ** 15, limit: 10 })).toEqual([]);
      expect(await opened.journal.listOutcomes({ since: -5, limit: 10 })).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it("counts only what it deleted: an entry gone between the index query and the delete is not counted", async () => {
    const opened = await openJournal();
    try {
      const gone = await opened.journal.append(sampleDecision({ threadId: "cthr_gone", at: 1, ttl: 100 }));
      await opened.journal.append(sampleDecision({ threadId: "cthr_kept", at: 1, ttl: 100 }));
      // Between the index query and the deletes, DynamoDB TTL (say) removes one of them.
      opened.client.middlewareStack.add(
        (next, context) => async (args) => {
          const result = await next(args);
          if (context.commandName === "QueryCommand") {
            await opened.client.send(
              new DeleteCommand({
                TableName: opened.tableName,
                Key: { thread_id: "cthr_gone", entry_key: gone.id },
              }),
            );
          }
          return result;
        },
        { step: "initialize", name: "deleteAfterQuery" },
      );
      expect(await opened.journal.prune(1_000, 10)).toBe(1);
      expect(opened.proxy.seen.filter((r) => r.target.endsWith(".DeleteItem"))).toHaveLength(3);
    } finally {
      await opened.close();
    }
  });
});
