import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** Options of {@link loadSessionKeyFromSecretsManager}. */
export interface SecretsManagerSessionKeyOptions {
  /** `SESSION_SECRET_ID`: the secret's name or ARN. */
  secretId: string;
  /**
   * A configured client. Without one, a client is built whose endpoint, region and credentials
   * come from the SDK's default chain (`AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_REGION`, the role).
   */
  client?: SecretsManagerClient;
  /** How long the read may take, retries included: a start never hangs on it. @default 10000 */
  timeoutMs?: number;
}

const MIN_SECRET_CHARS = 32;

/** What a Secrets Manager error means, in words, by its name. */
const MEANINGS: Readonly<Record<string, string>> = {
  ResourceNotFoundException: "secret not found",
  AccessDeniedException: "access denied",
  DecryptionFailure: "the secret cannot be decrypted with its KMS key",
  InvalidRequestException: "the secret cannot be read now (deleted or scheduled for deletion?)",
  InvalidParameterException: "invalid secret id",
};

/** `<meaning> (<ErrorName>)`, or for anything unnamed `cannot be read: <message> (<code>)`, on one line. */
function reasonOf(error: unknown): string {
  const e = (error ?? {}) as { name?: string; code?: string; message?: string };
  const meaning = e.name ? MEANINGS[e.name] : undefined;
  if (meaning) return `${meaning} (${e.name})`;
  const code = e.name === "Error" || !e.name ? (e.code ?? "Error") : e.name;
  return `cannot be read: ${String(e.message ?? error).replace(/\s+/g, " ")} (${code})`;
}

/** Options of {@link readSecretString}. */
export interface SecretStringOptions extends SecretsManagerSessionKeyOptions {
  /** The setting that named the secret, for the error line (`SESSION_SECRET_ID`). */
  setting: string;
  /** Shortest acceptable value. @default 1 */
  minChars?: number;
}

/**
 * Reads one secret's SecretString from Secrets Manager. Every failure throws an Error whose
 * message is one line naming the setting, the secret id and what is wrong; the value never
 * appears in it.
 */
export async function readSecretString(options: SecretStringOptions): Promise<string> {
  const { secretId, setting } = options;
  const minChars = options.minChars ?? 1;
  const fail = (what: string) => new Error(`${setting} ${secretId}: ${what}`);
  const client = options.client ?? new SecretsManagerClient({});
  const timeoutMs = options.timeoutMs ?? 10_000;

  let secret: string | undefined;
  try {
    const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    secret = answer.SecretString;
  } catch (error) {
    if ((error as Error | null)?.name === "AbortError" || (error as Error | null)?.name === "TimeoutError")
      throw fail(`no answer from Secrets Manager within ${timeoutMs} ms`);
    throw fail(reasonOf(error));
  } finally {
    // A client built here is used once; one passed in belongs to the caller.
    if (!options.client) client.destroy();
  }
  if (secret === undefined) throw fail("the secret has no SecretString (binary secrets are not supported)");
  if (secret.length === 0) throw fail("the secret is empty");
  if (secret.length < minChars)
    throw fail(`the secret is ${secret.length} characters; at least ${minChars} are required`);
  return secret;
}

/**
 * Reads the HMAC session key once from Secrets Manager: the secret's SecretString, at least 32
 * characters, as UTF-8 bytes (the same key `SESSION_SECRET` would give).
 */
export async function loadSessionKeyFromSecretsManager(
  options: SecretsManagerSessionKeyOptions,
): Promise<Uint8Array> {
  const secret = await readSecretString({
    ...options,
    setting: "SESSION_SECRET_ID",
    minChars: MIN_SECRET_CHARS,
  });
  return new TextEncoder().encode(secret);
}
