import { Hono } from "hono";
import type { z } from "zod";
import { plainEnvelope, plainMessageParams } from "../../core/chat/plain-requests.js";
import {
  attachmentCreateParamsSchema,
  attachmentDeleteParamsSchema,
  CHATKIT_REQUEST_TYPES,
  type ChatKitEvent,
  chatKitRequestSchema,
  inputTranscribeParamsSchema,
  isChatKitRequestType,
  itemsFeedbackParamsSchema,
  itemsListParamsSchema,
  retryAfterItemParamsSchema,
  threadAddUserMessageParamsSchema,
  threadCreateParamsSchema,
  threadFeatureParamsSchema,
  threadIdParamsSchema,
  threadListParamsSchema,
  threadUpdateParamsSchema,
} from "../../core/chat/protocol.js";
import { AppError, PayloadTooLargeError, ValidationError } from "../../core/errors.js";
import { type Logger, silentLogger } from "../../ports/logger.js";
import type { ChatService } from "../../services/chat.js";
import { validationErrorFrom } from "../errors.js";
import { eventStream } from "../event-stream.js";
import { limitBody } from "../middleware/body-limit.js";

/** What the session middleware puts on the context before these routes run. */
export interface ChatKitEnv {
  Variables: { userId: string };
}

/** Options of {@link createChatKitRoutes}. */
export interface ChatKitRoutesOptions {
  chat: ChatService;
  /** Logs streams that fail after the headers went out. @default silentLogger */
  logger?: Logger;
  /** Largest request body; a 4,000-character message is at most 16 KB of UTF-8. @default 65536 */
  maxBodyBytes?: number;
}

/** Parses `params` with `schema`, answering 400 with the first zod issue. */
function parseParams<S extends z.ZodType>(schema: S, params: unknown): z.infer<S> {
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) throw validationErrorFrom(parsed.error);
  return parsed.data;
}

/** The request's `{ type, params, metadata }`, answering 400 with the first zod issue. */
function readEnvelope(body: unknown): z.infer<typeof chatKitRequestSchema> {
  const plain = plainEnvelope(body);
  if (plain) return plain;
  const envelope = chatKitRequestSchema.safeParse(body);
  if (!envelope.success) throw validationErrorFrom(envelope.error);
  return envelope.data;
}

/**
 * POST /api/chatkit: the ChatKit protocol endpoint. One body `{ type, params, metadata? }`;
 * `threads.create` and `threads.add_user_message` answer `text/event-stream`, the rest JSON.
 * Reads the user id that the session middleware set (`c.get("userId")`).
 */
export function createChatKitRoutes(options: ChatKitRoutesOptions): Hono<ChatKitEnv> {
  const { chat } = options;
  const logger = options.logger ?? silentLogger;
  const maxBodyBytes = options.maxBodyBytes ?? 65_536;
  const app = new Hono<ChatKitEnv>();

  app.post(
    "/",
    limitBody({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new PayloadTooLargeError(`The request is larger than ${maxBodyBytes} bytes.`);
      },
    }),
    async (c) => {
      const userId = c.get("userId");
      // Defense in depth: without the session middleware there is no owner to check against.
      if (!userId) throw new AppError("unauthorized", "A chat session is required.", 401);
      const body: unknown = await c.req.json().catch(() => {
        throw new ValidationError('The body must be JSON like {"type":"threads.list","params":{}}.');
      });
      const { type, params, metadata } = readEnvelope(body);
      if (!isChatKitRequestType(type)) {
        throw new ValidationError(
          `Unknown request type "${type.slice(0, 100)}". Supported: ${CHATKIT_REQUEST_TYPES.join(", ")}.`,
          { code: "unknown_request_type" },
        );
      }

      // Aborted when the client goes away, so the assistant stops working for nobody.
      const abort = new AbortController();
      c.req.raw.signal.addEventListener("abort", () => abort.abort(), { once: true });
      const stream = (events: AsyncIterable<ChatKitEvent>) => {
        c.header("X-Accel-Buffering", "no"); // nginx and friends: do not buffer the stream
        return eventStream<ChatKitEvent>(c, events, {
          onCancel: () => abort.abort(),
          onError: (error) => {
            // The service turns assistant failures into events; this is a store failure mid-stream.
            logger.error({ err: String(error), type }, "chatkit stream failed");
            return {
              type: "error",
              code: "custom",
              message: "Sorry, something went wrong on our side. Please try again.",
              allow_retry: true,
            };
          },
        });
      };
      const streamOptions = { metadata, signal: abort.signal };
      const authorization = c.req.header("authorization");

      switch (type) {
        case "threads.create":
          return stream(
            await chat.createThread(
              userId,
              plainMessageParams(type, params) ?? parseParams(threadCreateParamsSchema, params),
              streamOptions,
            ),
          );
        case "threads.add_user_message":
          return stream(
            await chat.addUserMessage(
              userId,
              plainMessageParams(type, params) ?? parseParams(threadAddUserMessageParamsSchema, params),
              streamOptions,
            ),
          );
        case "threads.get_by_id":
          return c.json(await chat.getThread(userId, parseParams(threadIdParamsSchema, params)));
        case "threads.list":
          return c.json(await chat.listThreads(userId, parseParams(threadListParamsSchema, params)));
        case "items.list":
          return c.json(await chat.listItems(userId, parseParams(itemsListParamsSchema, params)));
        case "threads.update":
          return c.json(await chat.updateThread(userId, parseParams(threadUpdateParamsSchema, params)));
        case "threads.delete":
          return c.json(await chat.deleteThread(userId, parseParams(threadIdParamsSchema, params)));
        case "attachments.create":
          return c.json(
            await chat.createAttachment(
              userId,
              parseParams(attachmentCreateParamsSchema, params),
              // The caller's own secret authorizes the upload, which the component sends as is.
              authorization ? { Authorization: authorization } : {},
            ),
          );
        case "attachments.delete":
          return c.json(
            await chat.deleteAttachment(userId, parseParams(attachmentDeleteParamsSchema, params)),
          );
        case "threads.retry_after_item":
          return stream(
            await chat.retryAfterItem(userId, parseParams(retryAfterItemParamsSchema, params), streamOptions),
          );
        case "items.feedback":
          return c.json(await chat.feedback(userId, parseParams(itemsFeedbackParamsSchema, params)));
        case "threads.custom_action":
        case "threads.add_client_tool_output":
        case "threads.add_structured_input":
          return stream(await chat.featureOff(userId, parseParams(threadFeatureParamsSchema, params)));
        case "threads.sync_custom_action":
          // No actions here: the official "nothing changed" answer (no updated_item).
          parseParams(threadFeatureParamsSchema, params);
          return c.json({});
        case "input.transcribe":
          parseParams(inputTranscribeParamsSchema, params);
          throw new AppError(
            "not_supported",
            "Dictation is not offered here; please type your message.",
            501,
          );
      }
    },
  );
  return app;
}
