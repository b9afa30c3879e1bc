import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { SmsLinkRecord } from "../../core/sms-draft.js";
import type { TokenStore } from "../../ports/token-store.js";
import { isConditionFailed } from "./client.js";
import { expiryPrune } from "./queries.js";
import { INDEX, ttlSeconds } from "./tables.js";

/** Options of {@link createDynamoDbTokenStore}. */
export interface DynamoDbTokenStoreOptions {
  client: DynamoDBDocumentClient;
  /** The SMS link token table (`SMS_TOKENS_TABLE`), keyed by `token`. */
  tableName: string;
}

/** The `expiry_list` value every row carries (see the `expiry` index). */
const EXPIRY_LIST_VALUE = "token";

/** One row as stored. */
interface TokenItem {
  token: string;
  thread_id: string;
  phone: string;
  /** Absent when unknown (a null field is an absent attribute). */
  customer_name?: string;
  body: string;
  created_at: number;
  /** Epoch ms: the link answers 410 from then on; also the expiry index's sort key. */
  expires_at: number;
  /** `expires_at` in epoch seconds, for DynamoDB TTL. */
  ttl: number;
  expiry_list: typeof EXPIRY_LIST_VALUE;
}

/**
 * SMS link tokens in the ChatkitSmsLinkTokenTable, one item per token. `get` answers expired
 * tokens too (the caller answers 410 rather than 404), until they are deleted: by DynamoDB TTL
 * on `ttl` (lazily, within days of `expires_at`) or by `prune`, which walks the sparse `expiry`
 * index oldest first, never a scan.
 */
export function createDynamoDbTokenStore(options: DynamoDbTokenStoreOptions): TokenStore {
  const { client, tableName } = options;

  return {
    async put(record) {
      const item: TokenItem = {
        token: record.token,
        thread_id: record.threadId,
        phone: record.phone,
        ...(record.customerName === null ? {} : { customer_name: record.customerName }),
        body: record.body,
        created_at: record.createdAt,
        expires_at: record.expiresAt,
        ttl: ttlSeconds(record.expiresAt),
        expiry_list: EXPIRY_LIST_VALUE,
      };
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            // A plain put would replace: a token must never be silently re-pointed at another customer.
            ConditionExpression: "attribute_not_exists(#token)",
            ExpressionAttributeNames: { "#token": "token" },
          }),
        );
      } catch (error) {
        // The token is a secret link: only its start goes into the message.
        if (isConditionFailed(error))
          throw new Error(`SMS link token ${record.token.slice(0, 6)}... already exists`, { cause: error });
        throw error;
      }
    },
    async get(token) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: { token }, ConsistentRead: true }),
      );
      return Item ? toRecord(Item as TokenItem) : null;
    },
    prune: expiryPrune({
      client,
      tableName,
      indexName: INDEX.smsTokensExpiry,
      keyAttribute: "token",
      list: EXPIRY_LIST_VALUE,
    }),
  };
}

function toRecord(item: TokenItem): SmsLinkRecord {
  return {
    token: item.token,
    threadId: item.thread_id,
    phone: item.phone,
    customerName: item.customer_name ?? null,
    body: item.body,
    createdAt: item.created_at,
    expiresAt: item.expires_at,
  };
}
