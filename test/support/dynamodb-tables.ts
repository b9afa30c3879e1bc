import type { DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDynamoDbDocumentClient } from "../../src/adapters/dynamodb/client.js";
import { ensureTables } from "../../src/adapters/dynamodb/setup.js";
import {
  DEFAULT_TABLE_NAMES,
  type DynamoDbTableNames,
  tableSpecs,
} from "../../src/adapters/dynamodb/tables.js";
import { startDynalite, TEST_CREDENTIALS, TEST_REGION, type TestDynamoDb } from "./aws-emulators.js";

/** A command a client sent: its low-level name (`QueryCommand`, `PutItemCommand`, ...) and input. */
export interface SentCommand {
  name: string;
  input: Record<string, unknown>;
}

/** A fresh table of one kind and a document client on it. */
export interface OpenedTable {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Destroys the client (the table stays until the dynalite closes). */
  close(): Promise<void>;
}

/** Tables of one kind for a test file: see {@link dynamoDbTables}. */
export interface DynamoDbTables {
  /** The dynalite's endpoint (starting it on first use), e.g. to put a proxy in front of it. */
  endpoint(): Promise<string>;
  /**
   * Creates a table of its own (`<kind>_<n>`) and a document client for it that records every
   * command it sends into `sent`. `clientOptions` go over the defaults (the dynalite's endpoint,
   * {@link TEST_REGION}, {@link TEST_CREDENTIALS}).
   */
  open(sent?: SentCommand[], clientOptions?: DynamoDBClientConfig): Promise<OpenedTable>;
  /** Closes the dynalite, if it was started (for `afterAll`). */
  close(): Promise<void>;
}

/**
 * One dynalite for a test file, started lazily on the first `open`, and a table of the `kind`
 * per call: each test gets a table of its own.
 */
export function dynamoDbTables(kind: keyof DynamoDbTableNames): DynamoDbTables {
  let dynalite: Promise<TestDynamoDb> | undefined;
  let tablesMade = 0;
  const start = () => {
    dynalite ??= startDynalite();
    return dynalite;
  };

  return {
    async endpoint() {
      return (await start()).endpoint;
    },
    async open(sent = [], clientOptions = {}) {
      const db = await start();
      const tableName = `${kind}_${++tablesMade}`;
      const specs = tableSpecs({ ...DEFAULT_TABLE_NAMES, [kind]: tableName }).filter((s) => s.kind === kind);
      await ensureTables(db.client, specs);
      const client = createDynamoDbDocumentClient({
        endpoint: db.endpoint,
        region: TEST_REGION,
        credentials: TEST_CREDENTIALS,
        ...clientOptions,
      });
      client.middlewareStack.add(
        (next, context) => async (args) => {
          sent.push({ name: context.commandName ?? "?", input: args.input as Record<string, unknown> });
          return next(args);
        },
        { step: "initialize", name: "recordCommands" },
      );
      return { client, tableName, close: async () => client.destroy() };
    },
    async close() {
      await (await dynalite)?.close();
    },
  };
}
