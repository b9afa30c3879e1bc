// Type-only: the SDK itself loads lazily (see client.ts).
import type OpenAI from "openai";
import { UpstreamError } from "../../core/errors.js";
import { leadSummaryJsonSchema } from "./strict-schema.js";

/**
 * Which OpenAI API carries the summary request: `responses` (api.openai.com's Responses API) or
 * `chat_completions` (the one every OpenAI-compatible local server speaks: Ollama, vLLM, llama.cpp).
 */
export type OpenAiApi = "responses" | "chat_completions";

/** One summary request, the same whichever API carries it. */
export interface SummaryRequest {
  model: string;
  /** The system instructions. */
  instructions: string;
  /** The user message (the delimited transcript). */
  input: string;
  timeoutMs: number;
  maxRetries: number;
}

/**
 * Sends one summary request and returns the model's answer text. A refusal, an answer cut short or
 * an empty answer is an UpstreamError naming `name`; SDK errors (HTTP, timeout) are thrown as they
 * come, for the caller to describe.
 */
export type AskForSummary = (client: OpenAI, request: SummaryRequest, name: string) => Promise<string>;

/** The strict structured-output format, under the name and schema both APIs are given. */
const FORMAT = { name: "lead_summary", strict: true, schema: leadSummaryJsonSchema } as const;

const askResponses: AskForSummary = async (client, request, name) => {
  const response = await client.responses.create(
    {
      model: request.model,
      instructions: request.instructions,
      input: [{ role: "user", content: [{ type: "input_text", text: request.input }] }],
      text: { format: { type: "json_schema", ...FORMAT } },
      // Transcripts hold customers' contact details: do not keep them on OpenAI's side.
      store: false,
    },
    { timeout: request.timeoutMs, maxRetries: request.maxRetries },
  );
  if (response.status && response.status !== "completed") {
    const reason = response.incomplete_details?.reason ?? response.error?.message ?? "no reason given";
    throw new UpstreamError(`${name}: response ${response.status} (${reason})`);
  }
  for (const item of response.output) {
    if (item.type !== "message") continue;
    const refusal = item.content.find((part) => part.type === "refusal");
    if (refusal) throw new UpstreamError(`${name}: the model refused: ${refusal.refusal}`);
  }
  if (!response.output_text) throw new UpstreamError(`${name}: the response carried no output text`);
  return response.output_text;
};

const askChatCompletions: AskForSummary = async (client, request, name) => {
  // No `store`: chat completions are not stored by default, and local servers do not know the field.
  const completion = await client.chat.completions.create(
    {
      model: request.model,
      messages: [
        { role: "system", content: request.instructions },
        { role: "user", content: request.input },
      ],
      response_format: { type: "json_schema", json_schema: FORMAT },
    },
    { timeout: request.timeoutMs, maxRetries: request.maxRetries },
  );
  const choice = completion.choices[0];
  if (!choice) throw new UpstreamError(`${name}: the completion carried no choices`);
  if (choice.message.refusal)
    throw new UpstreamError(`${name}: the model refused: ${choice.message.refusal}`);
  // Half a JSON object is no summary, even when a lenient parser could close it.
  if (choice.finish_reason === "length")
    throw new UpstreamError(
      `${name}: the answer was cut off at the output token limit (finish_reason length)`,
    );
  if (choice.finish_reason === "content_filter")
    throw new UpstreamError(`${name}: the answer was withheld by a content filter`);
  if (!choice.message.content) throw new UpstreamError(`${name}: the completion carried no output text`);
  return choice.message.content;
};

/** The request/response mapping of each API; everything else in the summarizer is shared. */
export const SUMMARY_APIS: Readonly<Record<OpenAiApi, AskForSummary>> = {
  responses: askResponses,
  chat_completions: askChatCompletions,
};
