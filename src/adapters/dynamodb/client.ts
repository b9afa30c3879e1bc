import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * A document client (plain JS values in and out). Endpoint, region and credentials come from the
 * SDK's own chain (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_REGION`, ...) unless `config` says otherwise
 * (tests point it at their emulator).
 */
export function createDynamoDbDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** True when the error is DynamoDB refusing a write because its condition did not hold. */
export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === "ConditionalCheckFailedException";
}
