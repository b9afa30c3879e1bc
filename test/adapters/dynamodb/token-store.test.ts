import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { INDEX } from "../../../src/adapters/dynamodb/tables.js";
import { createDynamoDbTokenStore } from "../../../src/adapters/dynamodb/token-store.js";
import { runTokenStoreContract, sampleSmsLinkRecord } from "../../contracts/token-store.contract.js";
import { dynamoDbTables, type SentCommand } from "../../support/dynamodb-tables.js";

// One dynalite for the file; each test gets a token table of its own.
const tables = dynamoDbTables("smsTokens");
afterAll(() => tables.close());

/** Every request the contract run sent, to check afterwards that none was a Scan. */
const sentByContract: SentCommand[] = [];

runTokenStoreContract("dynamodb (dynalite)", async () => {
  const { client, tableName, close } = await tables.open(sentByContract);
  return { store: createDynamoDbTokenStore({ client, tableName }), teardown: close };
});

describe("dynamodb token store", () => {
  it("never scans: reads are by key, prune queries the expiry index", () => {
    const names = new Set(sentByContract.map((s) => s.name));
    expect(names).toContain("GetItemCommand");
    expect(names).not.toContain("ScanCommand");
    const queries = sentByContract.filter((s) => s.name === "QueryCommand");
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) expect(query.input.IndexName).toBe(INDEX.smsTokensExpiry);
  });

  it("stores the expiry in epoch seconds as the ttl, and a null name as no attribute", async () => {
    const { client, tableName, close } = await tables.open();
    try {
      const record = sampleSmsLinkRecord({
        customerName: null,
        createdAt: 1_000,
        expiresAt: 1_700_000_000_001,
      });
      await createDynamoDbTokenStore({ client, tableName }).put(record);
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: { token: record.token } }),
      );
      expect(Item).toMatchObject({ ttl: 1_700_000_001, expires_at: 1_700_000_000_001, expiry_list: "token" });
      expect(Item).not.toHaveProperty("customer_name");
    } finally {
      await close();
    }
  });

  it("names only the start of a refused token in its error", async () => {
    const { client, tableName, close } = await tables.open();
    try {
      const store = createDynamoDbTokenStore({ client, tableName });
      const record = sampleSmsLinkRecord();
      await store.put(record);
      const error = await store.put(record).catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/already exists/);
      expect((error as Error).message).not.toContain(record.token);
    } finally {
      await close();
    }
  });
});
