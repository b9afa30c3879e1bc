import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { RateLimitStore } from "../../ports/rate-limit-store.js";
import { ttlSeconds } from "./tables.js";

/** Options of {@link createDynamoDbRateLimitStore}. */
export interface DynamoDbRateLimitStoreOptions {
  client: DynamoDBDocumentClient;
  /** The rate limit table (`RATE_LIMITS_TABLE`), keyed by `key`. */
  tableName: string;
}

/**
 * A fixed-window counter shared by every Lambda: one item per key and window
 * (`<key>#<windowStart>`), counted by a single atomic `UpdateItem` (`ADD hits 1`), so requests
 * arriving at once on different instances are each counted exactly once and at most `limit` of a
 * window are allowed. Unlike the memory store's token bucket, a client may spend a window's
 * allowance at its end and the next one's right after: fine for abuse limits. Each item expires
 * (DynamoDB TTL) when its window ends; nothing reads a past window, so there is nothing to hide.
 */
export function createDynamoDbRateLimitStore(options: DynamoDbRateLimitStoreOptions): RateLimitStore {
  const { client, tableName } = options;

  return {
    async take(key, rule, now) {
      const { limit, windowMs } = rule;
      if (!Number.isInteger(limit) || limit < 1)
        throw new Error(`limit must be a whole number >= 1, got ${limit}`);
      if (!(windowMs > 0)) throw new Error(`windowMs must be positive, got ${windowMs}`);
      const windowStart = Math.floor(now / windowMs) * windowMs;
      const windowEnd = windowStart + windowMs;

      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { key: `${key}#${windowStart}` },
          UpdateExpression: "ADD hits :one SET #ttl = :ttl",
          // TTL is a reserved word in expressions.
          ExpressionAttributeNames: { "#ttl": "ttl" },
          ExpressionAttributeValues: { ":one": 1, ":ttl": ttlSeconds(windowEnd) },
          ReturnValues: "UPDATED_NEW",
        }),
      );
      const hits = Number(Attributes?.hits);
      // Refused requests are counted too (one write either way); they only ever raise the count.
      if (hits <= limit) return { allowed: true, remaining: limit - hits, retryAfterMs: 0 };
      return { allowed: false, remaining: 0, retryAfterMs: windowEnd - now };
    },
  };
}
