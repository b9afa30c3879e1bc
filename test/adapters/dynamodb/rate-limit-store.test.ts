import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { createDynamoDbRateLimitStore } from "../../../src/adapters/dynamodb/rate-limit-store.js";
import { runRateLimitStoreContract } from "../../contracts/rate-limit-store.contract.js";
import { dynamoDbTables, type SentCommand } from "../../support/dynamodb-tables.js";

// One dynalite for the file; each test gets a rate limit table of its own.
const tables = dynamoDbTables("rateLimits");
afterAll(() => tables.close());

const MINUTE = 60_000;

runRateLimitStoreContract("dynamodb (dynalite)", async () => {
  const { client, tableName, close } = await tables.open();
  return { store: createDynamoDbRateLimitStore({ client, tableName }), teardown: close };
});

describe("dynamodb rate limit store", () => {
  it("counts with one UpdateItem per request on `<key>#<windowStart>`, expiring at the window's end", async () => {
    const sent: SentCommand[] = [];
    const { client, tableName, close } = await tables.open(sent);
    try {
      const store = createDynamoDbRateLimitStore({ client, tableName });
      const windowStart = 1_800_000_000_000 - (1_800_000_000_000 % MINUTE);
      const rule = { limit: 2, windowMs: MINUTE };
      expect(await store.take("ip:a", rule, windowStart + 1_000)).toEqual({
        allowed: true,
        remaining: 1,
        retryAfterMs: 0,
      });
      expect(await store.take("ip:a", rule, windowStart + 2_000)).toEqual({
        allowed: true,
        remaining: 0,
        retryAfterMs: 0,
      });
      expect(await store.take("ip:a", rule, windowStart + 45_500)).toEqual({
        allowed: false,
        remaining: 0,
        retryAfterMs: 14_500,
      });
      expect(sent.map((s) => s.name)).toEqual([
        "UpdateItemCommand",
        "UpdateItemCommand",
        "UpdateItemCommand",
      ]);

      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: { key: `ip:a#${windowStart}` } }),
      );
      expect(Item).toEqual({ key: `ip:a#${windowStart}`, hits: 3, ttl: (windowStart + MINUTE) / 1000 });
    } finally {
      await close();
    }
  });

  it("starts each window afresh and refuses rules it cannot count", async () => {
    const { client, tableName, close } = await tables.open();
    try {
      const store = createDynamoDbRateLimitStore({ client, tableName });
      const rule = { limit: 1, windowMs: 1_000 };
      expect((await store.take("k", rule, 10_999)).allowed).toBe(true);
      expect(await store.take("k", rule, 10_999)).toMatchObject({ allowed: false, retryAfterMs: 1 });
      expect((await store.take("k", rule, 11_000)).allowed).toBe(true);
      await expect(store.take("k", { limit: 0, windowMs: 1_000 }, 0)).rejects.toThrow(/limit/);
      await expect(store.take("k", { limit: 1, windowMs: 0 }, 0)).rejects.toThrow(/windowMs/);
    } finally {
      await close();
    }
  });
});
