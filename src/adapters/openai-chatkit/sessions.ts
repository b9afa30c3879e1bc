// Type-only: a caller hands us a ready client; the SDK module itself is loaded only on the error
// path (by ./errors.ts, for its error classes), so importing this file never loads it.
import type OpenAI from "openai";
import type { HostedChatSessions } from "../../ports/hosted-chat-sessions.js";
import { hostedChatKitError } from "./errors.js";

/** Options of {@link createHostedChatKitSessions}. */
export interface HostedChatKitSessionsOptions {
  /** A configured OpenAI client (API key, base URL). */
  client: OpenAI;
  /** The Agent Builder workflow (`wf_...`) that answers in the session. */
  workflowId: string;
  /**
   * Largest upload, in bytes. ChatKit takes whole megabytes (1 to 512), so this is rounded down to
   * whole MiB, which stays within the limit whether the API counts 10^6 or 2^20 bytes a megabyte.
   */
  maxFileBytes: number;
  /** Most files per session. @default 10 */
  maxFiles?: number;
  /** Timeout of the request, in ms; it is never retried. @default 10000 */
  timeoutMs?: number;
}

const BYTES_PER_MB = 1024 * 1024;
/** The largest `max_file_size` ChatKit accepts, in MB. */
const MAX_FILE_SIZE_MB = 512;

/**
 * The HostedChatSessions port over `POST /v1/chatkit/sessions`: one session per call, for the
 * given user and workflow, expiring `ttlSeconds` after creation, with file uploads enabled within
 * `maxFileBytes` / `maxFiles`.
 *
 * Errors: any failure rejects with a HostedChatKitError keeping the upstream `status` (401, 403,
 * 5xx), or `status: null` and `code: "timeout"` when the request takes longer than `timeoutMs`.
 * The message never holds the API key.
 */
export function createHostedChatKitSessions(options: HostedChatKitSessionsOptions): HostedChatSessions {
  const { client, workflowId } = options;
  const maxFiles = options.maxFiles ?? 10;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxFileSizeMb = Math.min(MAX_FILE_SIZE_MB, Math.floor(options.maxFileBytes / BYTES_PER_MB));
  if (!workflowId) throw new Error("createHostedChatKitSessions: workflowId is required");
  if (!(maxFileSizeMb >= 1)) {
    throw new Error(
      `createHostedChatKitSessions: maxFileBytes must be at least ${BYTES_PER_MB} (ChatKit takes whole MB), got ${options.maxFileBytes}`,
    );
  }
  if (!Number.isInteger(maxFiles) || maxFiles < 1) {
    throw new Error(`createHostedChatKitSessions: maxFiles must be a positive integer, got ${maxFiles}`);
  }

  return {
    async create(userId, ttlSeconds) {
      try {
        const session = await client.beta.chatkit.sessions.create(
          {
            user: userId,
            workflow: { id: workflowId },
            expires_after: { anchor: "created_at", seconds: ttlSeconds },
            chatkit_configuration: {
              file_upload: { enabled: true, max_file_size: maxFileSizeMb, max_files: maxFiles },
            },
          },
          { timeout: timeoutMs, maxRetries: 0 },
        );
        return { clientSecret: session.client_secret, expiresAt: session.expires_at };
      } catch (caught) {
        throw await hostedChatKitError("sessions.create", caught, { apiKey: client.apiKey, timeoutMs });
      }
    },
  };
}
