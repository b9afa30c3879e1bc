import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { createDynamoDbAttributionStore } from "../../../src/adapters/dynamodb/attribution-store.js";
import { INDEX } from "../../../src/adapters/dynamodb/tables.js";
import {
  runAttributionStoreContract,
  sampleAttributionRecord,
} from "../../contracts/attribution-store.contract.js";
import { dynamoDbTables, type SentCommand } from "../../support/dynamodb-tables.js";

// One dynalite for the file; each test gets an attribution table of its own.
const tables = dynamoDbTables("attribution");
afterAll(() => tables.close());

/** Every request the contract run sent, to check afterwards that none was a Scan. */
const sentByContract: SentCommand[] = [];

runAttributionStoreContract("dynamodb (dynalite)", async () => {
  const { client, tableName, close } = await tables.open(sentByContract);
  return { store: createDynamoDbAttributionStore({ client, tableName }), teardown: close };
});

describe("dynamodb attribution store", () => {
  it("never scans: reads are by key, prune queries the expiry index", () => {
    const names = new Set(sentByContract.map((s) => s.name));
    expect(names.size).toBeGreaterThan(0);
    expect(names).not.toContain("ScanCommand");
    const queries = sentByContract.filter((s) => s.name === "QueryCommand");
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) expect(query.input.IndexName).toBe(INDEX.attributionExpiry);
  });

  it("stores the ttl in epoch seconds for DynamoDB TTL and compares the exact ms with the injected clock", async () => {
    const { client, tableName, close } = await tables.open();
    try {
      const record = sampleAttributionRecord({ createdAt: 1000, ttl: 5_500 });
      await createDynamoDbAttributionStore({ client, tableName, now: () => 5_499 }).put(record);
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: { thread_id: record.threadId } }),
      );
      expect(Item).toMatchObject({ ttl: 6, expires_at: 5_500, expiry_list: "attribution" });
      expect(Item).not.toHaveProperty("lead_sent_at");
      expect(
        await createDynamoDbAttributionStore({ client, tableName, now: () => 5_499 }).get(record.threadId),
      ).toEqual(record);
      // Past its ttl but not yet deleted (DynamoDB deletes lazily): hidden.
      expect(
        await createDynamoDbAttributionStore({ client, tableName, now: () => 5_500 }).get(record.threadId),
      ).toBeNull();
    } finally {
      await close();
    }
  });

  it("does not prune a row put again with a later ttl after the index listed it", async () => {
    const sent: SentCommand[] = [];
    const { client, tableName, close } = await tables.open(sent);
    try {
      const store = createDynamoDbAttributionStore({ client, tableName, now: () => 1 });
      const renewed = sampleAttributionRecord({ threadId: "cthr_renewed", createdAt: 1, ttl: 100 });
      await store.put(renewed);
      // Between the index query and the delete, another writer renews the row.
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const result = await next(args);
          if (context.commandName === "QueryCommand") {
            await client.send(
              new PutCommand({
                TableName: tableName,
                Item: {
                  thread_id: "cthr_renewed",
                  attribution: {},
                  created_at: 1,
                  expires_at: 10_000,
                  ttl: 10,
                },
              }),
            );
          }
          return result;
        },
        { step: "initialize", name: "renewAfterQuery" },
      );
      expect(await store.prune(1_000, 10)).toBe(0);
      expect((await store.get("cthr_renewed"))?.ttl).toBe(10_000);
      // It was tried (the listing saw it expired) and refused by its condition.
      expect(sent.filter((s) => s.name === "DeleteItemCommand")).toHaveLength(1);
    } finally {
      await close();
    }
  });
});
