import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { createDynamoDbDocumentClient } from "../../../src/adapters/dynamodb/client.js";
import { ensureTables } from "../../../src/adapters/dynamodb/setup.js";
import { DEFAULT_TABLE_NAMES, INDEX, tableSpecs } from "../../../src/adapters/dynamodb/tables.js";
import { createDynamoDbTokenStore } from "../../../src/adapters/dynamodb/token-store.js";
import { runTokenStoreContract, sampleSmsLinkRecord } from "../../contracts/token-store.contract.js";
import {
  startDynalite,
  TEST_CREDENTIALS,
  TEST_REGION,
  type TestDynamoDb,
} from "../../support/aws-emulators.js";

// One dynalite for the file; each test gets a token table of its own.
let dynalite: Promise<TestDynamoDb> | undefined;
let tablesMade = 0;
afterAll(async () => (await dynalite)?.close());

/** A command the store sent: its low-level name (`QueryCommand`, `PutItemCommand`, ...) and input. */
interface Sent {
  name: string;
  input: Record<string, unknown>;
}

/** Every request the contract run sent, to check afterwards that none was a Scan. */
const sentByContract: Sent[] = [];

async function openTable(sent: Sent[] = []) {
  dynalite ??= startDynalite();
  const db = await dynalite;
  const tableName = `tokens_${++tablesMade}`;
  const specs = tableSpecs({ ...DEFAULT_TABLE_NAMES, smsTokens: tableName }).filter(
    (s) => s.kind === "smsTokens",
  );
  await ensureTables(db.client, specs);
  const client = createDynamoDbDocumentClient({
    endpoint: db.endpoint,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push({ name: context.commandName ?? "?", input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: "initialize", name: "recordCommands" },
  );
  return { client, tableName, close: async () => client.destroy() };
}

runTokenStoreContract("dynamodb (dynalite)", async () => {
  const { client, tableName, close } = await openTable(sentByContract);
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
    const { client, tableName, close } = await openTable();
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
    const { client, tableName, close } = await openTable();
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
