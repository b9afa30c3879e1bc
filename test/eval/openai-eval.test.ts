import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shopContact } from "../../eval/detectors.js";
import { type EvalReport, runEval } from "../../eval/engine.js";
import { loadAllConversations } from "../../eval/load.js";
import {
  CANNED_REPLY,
  CANNED_REPLY_DELTAS,
  conversationIn,
  type FakeSummaryModel,
  fakeModelSummary,
  fakeSummaryAnswer,
  startOpenAiEvalFakes,
} from "../../eval/openai-fakes.js";
import type { Conversation } from "../../eval/schema.js";
import { loadBusinessProfile } from "../../src/adapters/fs/business-profile.js";
import { buildAssistantInstructions, createOpenAiAssistant } from "../../src/adapters/openai/assistant.js";
import { createOpenAiSummarizer, type OpenAiApi } from "../../src/adapters/openai/summarizer.js";
import {
  type FakeOpenAiChatServer,
  type RecordedChatRequest,
  requestMessages,
  startFakeOpenAiChatServer,
} from "../support/fake-openai-chat-server.js";
import { requestInputText, startFakeOpenAiServer } from "../support/fake-openai-server.js";

// The eval conversations played through the OpenAI adapters against local wire-format servers.
// A fake model cannot judge replies, so this run proves what the adapters and the summary floor
// guarantee whatever a model says: the fake assistant model streams a canned reply, and the fake
// summarizer model answers from each conversation's expected fields, adversarially (the shop's own
// contact where the customer's is not stated, always ready, never spam) or honestly.

const profile = loadBusinessProfile(join(import.meta.dirname, "../../business.json"));
const conversations = loadAllConversations();
const shop = shopContact(profile);

/** The fields the summary floor sets itself whatever the model answers. */
const FLOOR_FIELDS = new Set(["phone", "email", "photo_count", "handoff_ready", "spam"]);

/** A local server for the summarizer's API that answers as `model` would. */
interface SummaryModelServer {
  readonly baseURL: string;
  /** The transcript text of each summary request received, in order. */
  inputs(): string[];
  answerAs(model: FakeSummaryModel): void;
  reset(): void;
  close(): Promise<void>;
}

const answer = (input: string, model: FakeSummaryModel) =>
  fakeSummaryAnswer(input, conversations, profile, model);

async function responsesModel(): Promise<SummaryModelServer> {
  const server = await startFakeOpenAiServer();
  return {
    baseURL: server.baseURL,
    inputs: () => server.requests.map(requestInputText),
    answerAs: (model) =>
      server.respondWith((request) => ({ kind: "json", value: answer(requestInputText(request), model) })),
    reset: server.reset,
    close: server.close,
  };
}

async function chatModel(): Promise<SummaryModelServer> {
  const server = await startFakeOpenAiChatServer();
  return {
    baseURL: server.baseURL,
    inputs: () => server.requests.map((request) => requestMessages(request).user),
    answerAs: (model) =>
      server.respondWith((request) => ({
        kind: "json",
        value: answer(requestMessages(request).user, model),
      })),
    reset: server.reset,
    close: server.close,
  };
}

const MODES: Array<{ api: OpenAiApi; start: () => Promise<SummaryModelServer> }> = [
  { api: "responses", start: responsesModel },
  { api: "chat_completions", start: chatModel },
];

/** The chat messages the assistant adapter must send before the reply to turn `upTo` (0-based). */
function expectedMessages(conversation: Conversation, upTo: number) {
  const messages: Array<{ role: string; content: string }> = [
    { role: "system", content: buildAssistantInstructions(profile) },
  ];
  for (const [index, turn] of conversation.turns.slice(0, upTo + 1).entries()) {
    const photos = turn.photos ?? 0;
    const note = photos > 0 ? `[attached ${photos} photo${photos === 1 ? "" : "s"}]` : "";
    messages.push({ role: "user", content: [turn.customer.trim(), note].filter(Boolean).join("\n") });
    if (index < upTo) messages.push({ role: "assistant", content: CANNED_REPLY });
  }
  return messages;
}

/** Every contact field of the run that is not what the conversation expects ("id: field ..."). */
const contactMisses = (report: EvalReport) =>
  report.conversations.flatMap((c) =>
    c.fields
      .filter((f) => (f.field === "phone" || f.field === "email") && !f.ok)
      .map((f) => `${c.id}: ${f.field} ${JSON.stringify(f.actual)}, expected ${JSON.stringify(f.expected)}`),
  );

describe.each(MODES)(
  "intake eval through the OpenAI adapters (summarizer api $api) and local wire-format servers",
  ({ api, start }) => {
    let chat: FakeOpenAiChatServer;
    let model: SummaryModelServer;
    let assistantRequests: RecordedChatRequest[];
    let summaryInputs: string[];
    let adversarial: EvalReport;

    const run = (kind: FakeSummaryModel) => {
      chat.reset();
      chat.respondWith(() => ({ kind: "stream", deltas: [...CANNED_REPLY_DELTAS] }));
      model.reset();
      model.answerAs(kind);
      return runEval(conversations, {
        assistant: createOpenAiAssistant({
          apiKey: "test",
          baseURL: chat.baseURL,
          model: "canned-reply",
          profile,
          maxRetries: 0,
        }),
        summarizer: createOpenAiSummarizer({
          apiKey: "test",
          baseURL: model.baseURL,
          api,
          model: kind,
          profile,
          maxRetries: 0,
        }),
        profile,
      });
    };

    beforeAll(async () => {
      [chat, model] = await Promise.all([startFakeOpenAiChatServer(), start()]);
      adversarial = await run("adversarial");
      assistantRequests = [...chat.requests];
      summaryInputs = model.inputs();
    }, 120_000);
    afterAll(async () => {
      await Promise.all([chat?.close(), model?.close()]);
    });

    it("plays every conversation without an error, through both adapters", () => {
      expect(adversarial.assistant).toBe("openai:canned-reply");
      expect(adversarial.summarizer).toBe("openai:adversarial");
      expect(adversarial.conversations.filter((c) => c.error).map((c) => `${c.id}: ${c.error}`)).toEqual([]);
      expect(adversarial.totals.conversations).toBe(conversations.length);
    });

    it("the assistant adapter sends the rules and the conversation so far, in order, and the reply reaches the engine unchanged", () => {
      const instructions = buildAssistantInstructions(profile);
      for (const rule of [/Rules:/, /Never quote prices/, /automated assistant/, /sales pitches/]) {
        expect(instructions).toMatch(rule);
      }
      const turns = conversations.reduce((sum, c) => sum + c.turns.length, 0);
      expect(assistantRequests).toHaveLength(turns);
      let next = 0;
      for (const [index, conversation] of conversations.entries()) {
        for (const k of conversation.turns.keys()) {
          const body = assistantRequests[next++]?.body as { stream?: unknown; messages?: unknown };
          expect(body.stream, `${conversation.id} turn ${k + 1}`).toBe(true);
          expect(body.messages, `${conversation.id} turn ${k + 1}`).toEqual(
            expectedMessages(conversation, k),
          );
        }
        const report = adversarial.conversations[index];
        expect(report?.id).toBe(conversation.id);
        expect(report?.replies).toEqual(conversation.turns.map(() => CANNED_REPLY));
      }
    });

    it("the summarizer sends each conversation's transcript, and the fake model answers from it", () => {
      expect(summaryInputs).toHaveLength(conversations.length);
      expect(summaryInputs.map((input) => conversationIn(input, conversations)?.id)).toEqual(
        conversations.map((c) => c.id),
      );
    });

    it("a gullible model: no wrong contact (none of the shop's), no false ready, no spam passed", () => {
      // The model did try: the shop's own number and email, ready and no spam, wherever it could.
      const offered = conversations.map((c) => fakeModelSummary(c, profile, "adversarial"));
      expect(offered.filter((s) => s.phone === shop.phone).length).toBeGreaterThan(10);
      expect(offered.filter((s) => s.email === shop.email).length).toBeGreaterThan(10);
      expect(offered.every((s) => s.handoff_ready && !s.missing.includes("spam"))).toBe(true);
      expect(conversations.filter((c) => !c.expected.handoff_ready).length).toBeGreaterThan(10);

      const t = adversarial.totals;
      expect(t.spamTotal).toBe(conversations.filter((c) => c.expected.spam).length);
      expect(t.spamTotal).toBeGreaterThan(0);
      expect({
        wrongContact: t.wrongContact,
        shopContact: t.shopContact,
        falseReady: t.falseReady,
        spamPassed: t.spamPassed,
      }).toEqual({ wrongContact: 0, shopContact: 0, falseReady: 0, spamPassed: 0 });
      expect(adversarial.conversations.filter((c) => c.falseReady || c.spamPassed).map((c) => c.id)).toEqual(
        [],
      );
      for (const c of adversarial.conversations) {
        expect([c.summary?.phone, c.summary?.email], c.id).not.toContain(shop.phone);
        expect(c.summary?.email ?? null, c.id).not.toBe(shop.email);
      }
    });

    it("a gullible model: the contact fields are exactly the customer's", () => {
      expect(contactMisses(adversarial)).toEqual([]);
      const { phone, email } = adversarial.totals.fields;
      expect(phone?.total).toBeGreaterThan(0);
      expect(email?.total).toBeGreaterThan(0);
    });

    it("an honest model: every field the model controls comes through at 100%", async () => {
      const honest = await run("honest");
      expect(honest.summarizer).toBe("openai:honest");
      expect(honest.totals.errors).toBe(0);
      const controlled = Object.entries(honest.totals.fields).filter(([field]) => !FLOOR_FIELDS.has(field));
      expect(controlled.length).toBeGreaterThan(5);
      expect(controlled.filter(([, { ok, total }]) => ok !== total)).toEqual([]);
      // And the floor's own fields hold as well.
      expect(contactMisses(honest)).toEqual([]);
      expect([honest.totals.wrongContact, honest.totals.falseReady, honest.totals.spamPassed]).toEqual([
        0, 0, 0,
      ]);
    }, 120_000);
  },
);

describe("npm run eval -- --openai: the in-process fakes of eval/openai-fakes.ts", () => {
  it.each<OpenAiApi>(["responses", "chat_completions"])(
    "api %s: the same guarantees against a gullible model",
    async (api) => {
      const fakes = await startOpenAiEvalFakes({ conversations, profile, model: "adversarial" });
      try {
        const report = await runEval(conversations, {
          assistant: createOpenAiAssistant({ baseURL: fakes.baseURL, model: "canned-reply", profile }),
          summarizer: createOpenAiSummarizer({ baseURL: fakes.baseURL, api, model: "adversarial", profile }),
          profile,
        });
        const t = report.totals;
        expect(report.conversations.filter((c) => c.error).map((c) => `${c.id}: ${c.error}`)).toEqual([]);
        expect(report.conversations.every((c) => c.replies.every((reply) => reply === CANNED_REPLY))).toBe(
          true,
        );
        expect([t.wrongContact, t.shopContact, t.falseReady, t.spamPassed]).toEqual([0, 0, 0, 0]);
        expect(contactMisses(report)).toEqual([]);
      } finally {
        await fakes.close();
      }
    },
    120_000,
  );
});
