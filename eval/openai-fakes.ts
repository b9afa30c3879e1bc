import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BusinessProfile } from "../src/core/business-profile.js";
import type { LeadSummary } from "../src/core/lead-summary.js";
import { fold, shopContact } from "./detectors.js";
import type { AnyOf, Conversation } from "./schema.js";

// A stand-in for an OpenAI model in the eval, so the OpenAI adapters (request building, streaming,
// structured output, the summary floor) can be played through the eval's conversations offline.
// A fake cannot judge replies: the assistant model streams one canned reply, and the summarizer
// model answers from the conversation's `expected` block. The "adversarial" model is a gullible one:
// the expected fields, but the shop's own phone and email wherever the customer's is not stated,
// always handoff_ready, never "spam", a wrong photo count. What survives is what the adapters and
// applySummaryFloor guarantee whatever a model says.

/** What the fake assistant model streams for every turn, delta by delta. */
export const CANNED_REPLY_DELTAS: readonly string[] = ["Thanks, ", "noted", "."];
/** The canned reply, whole. */
export const CANNED_REPLY = CANNED_REPLY_DELTAS.join("");

/** `honest`: exactly the expected fields; `adversarial`: see the top of this file. */
export type FakeSummaryModel = "honest" | "adversarial";

const first = <T extends string>(value: T | readonly T[] | null | undefined): T | null =>
  value === null || value === undefined ? null : typeof value === "string" ? value : (value[0] ?? null);
const joined = (values: readonly AnyOf[] | undefined, separator: string): string | null =>
  values ? values.map((value) => first(value)).join(separator) : null;

/** The LeadSummary the fake model answers for a conversation (before the adapter's floor). */
export function fakeModelSummary(
  conversation: Conversation,
  profile: BusinessProfile,
  model: FakeSummaryModel,
): LeadSummary {
  const e = conversation.expected;
  const adversarial = model === "adversarial";
  const shop = shopContact(profile);
  const vehicle = e.vehicle
    ? { year: e.vehicle.year ?? null, make: first(e.vehicle.make), model: first(e.vehicle.model) }
    : null;
  return {
    handoff_ready: adversarial ? true : e.handoff_ready,
    customer_name: first(e.customer_name),
    // Not stated or stated as none: the gullible model takes the shop's own contact.
    phone: e.phone ?? (adversarial ? shop.phone : null),
    email: e.email ?? (adversarial ? shop.email : null),
    preferred_contact: e.preferred_contact ?? null,
    contact_time: first(e.contact_time_includes),
    item_type: e.item_type ?? null,
    vehicle,
    service_category: first(e.service_category),
    service_details: joined(e.service_details_includes, "; "),
    timeline: first(e.timeline_includes),
    budget: first(e.budget),
    location: first(e.location_includes),
    photo_count: (e.photo_count ?? 0) + (adversarial ? 3 : 0),
    missing: !adversarial && e.spam ? ["spam"] : [],
    summary: joined(e.summary_includes, ". ") ?? conversation.description,
  };
}

/**
 * The conversation whose customer turns are all in `input` (the transcript the summarizer sent),
 * the longest when several are; null when none is. The fake reads the request, never a side channel.
 */
export function conversationIn(input: string, conversations: readonly Conversation[]): Conversation | null {
  const text = fold(input);
  let best: { conversation: Conversation; chars: number } | null = null;
  for (const conversation of conversations) {
    const lines = conversation.turns
      .flatMap((turn) => turn.customer.split(/\r?\n/).map(fold))
      .filter(Boolean);
    if (lines.length === 0 || !lines.every((line) => text.includes(line))) continue;
    const chars = lines.reduce((sum, line) => sum + line.length, 0);
    if (!best || chars > best.chars) best = { conversation, chars };
  }
  return best?.conversation ?? null;
}

/** The fake model's answer to a summary request whose transcript is `input`. */
export function fakeSummaryAnswer(
  input: string,
  conversations: readonly Conversation[],
  profile: BusinessProfile,
  model: FakeSummaryModel,
): LeadSummary {
  const conversation = conversationIn(input, conversations);
  if (!conversation) throw new Error("the fake model knows no conversation with these customer turns");
  return fakeModelSummary(conversation, profile, model);
}

// --- A minimal in-process OpenAI wire-format server (for `npm run eval -- --openai`) -------------
// The tests drive the same models through the fuller fakes in test/support; this one speaks just
// enough for the SDK: streamed chat completions, structured chat completions and Responses.

/** A running fake: point both adapters' `baseURL` at it. */
export interface OpenAiEvalFakes {
  readonly baseURL: string;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function streamCannedReply(res: ServerResponse, model: string) {
  const frame = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({
      id: "chatcmpl-eval",
      object: "chat.completion.chunk",
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    })}\n\n`;
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.write(frame({ role: "assistant", content: "" }, null));
  for (const content of CANNED_REPLY_DELTAS) res.write(frame({ content }, null));
  res.write(frame({}, "stop"));
  res.end("data: [DONE]\n\n");
}

interface RequestBody {
  model?: string;
  stream?: boolean;
  messages?: Array<{ role?: string; content?: unknown }>;
  input?: Array<{ content?: Array<{ type?: string; text?: string }> }>;
}

/** Starts the fake on 127.0.0.1 (OS-chosen port) for the given conversations and summary model. */
export async function startOpenAiEvalFakes(options: {
  conversations: readonly Conversation[];
  profile: BusinessProfile;
  model: FakeSummaryModel;
}): Promise<OpenAiEvalFakes> {
  const summarize = (input: string) =>
    JSON.stringify(fakeSummaryAnswer(input, options.conversations, options.profile, options.model));
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as RequestBody;
      const model = body.model ?? "unknown";
      const created = Math.floor(Date.now() / 1000);
      if (req.method === "POST" && req.url === "/v1/chat/completions") {
        if (body.stream) return streamCannedReply(res, model);
        const user = (body.messages ?? []).filter((m) => m.role === "user").map((m) => String(m.content));
        const message = { role: "assistant", content: summarize(user.join("\n")), refusal: null };
        return sendJson(res, 200, {
          id: "chatcmpl-eval",
          object: "chat.completion",
          created,
          model,
          choices: [{ index: 0, message, logprobs: null, finish_reason: "stop" }],
        });
      }
      if (req.method === "POST" && req.url === "/v1/responses") {
        const input = (body.input ?? []).flatMap((m) => m.content ?? []).map((part) => part.text ?? "");
        const text = summarize(input.join("\n"));
        return sendJson(res, 200, {
          id: "resp_eval",
          object: "response",
          created_at: created,
          status: "completed",
          error: null,
          incomplete_details: null,
          model,
          output: [
            {
              type: "message",
              id: "msg_eval",
              status: "completed",
              role: "assistant",
              content: [{ type: "output_text", text, annotations: [] }],
            },
          ],
        });
      }
      sendJson(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: "not_found" } });
    } catch (error) {
      sendJson(res, 500, { error: { message: String(error), type: "server_error" } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
