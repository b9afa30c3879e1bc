import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answersTopic, asksIn, languageOf, promisesIn, questionsOf } from "../../eval/detectors.js";
import { runConversation } from "../../eval/engine.js";
import { loadAllConversations } from "../../eval/load.js";
import type { Conversation } from "../../eval/schema.js";
import { loadBusinessProfile } from "../../src/adapters/fs/business-profile.js";
import { createLocalAssistant } from "../../src/adapters/local/assistant.js";
import { createLocalSummarizer } from "../../src/adapters/local/summarizer.js";
import type { LeadSummary } from "../../src/core/lead-summary.js";
import type { Assistant } from "../../src/ports/assistant.js";
import type { Summarizer } from "../../src/ports/summarizer.js";

const profile = loadBusinessProfile(join(import.meta.dirname, "../../business.json"));
const target = {
  assistant: createLocalAssistant({ profile }),
  summarizer: createLocalSummarizer({ profile }),
  profile,
};

describe("intake eval: local assistant and summarizer", () => {
  it.each(loadAllConversations().map((c) => [c.id, c] as const))("%s", async (_id, conversation) => {
    const report = await runConversation(conversation, target);
    // One line per failed field or reply check, so the diff names what regressed.
    expect(report.failures).toEqual([]);
  });
});

const ctx = (customerText: string) => ({ profile, customerText });
const SERVICE_LIST = `We work on ${profile.services.join("; ")}. What needs doing?`;

describe("eval detectors", () => {
  it("does not take a reply listing every service as an answer about paint or boats", () => {
    expect(answersTopic("service_not_offered", SERVICE_LIST, ctx("do you do paint or dent repair?"))).toBe(
      false,
    );
    expect(answersTopic("services_offered", SERVICE_LIST, ctx("do you do boats?"))).toBe(false);
    expect(
      answersTopic(
        "service_not_offered",
        "Sorry, we don't do paint; we're an upholstery shop.",
        ctx("do you do paint?"),
      ),
    ).toBe(true);
    expect(
      answersTopic("services_offered", "Yes, we redo boat cushions and covers.", ctx("do you do boats?")),
    ).toBe(true);
    // A general question is answered by the list.
    expect(answersTopic("services_offered", SERVICE_LIST, ctx("what all do you work on?"))).toBe(true);
  });

  it("tells Spanish from English, even around the shop's English profile lines", () => {
    expect(languageOf("¿Cuál es el año, la marca y el modelo del vehículo?", profile)).toBe("es");
    expect(languageOf(`Nuestro horario: ${profile.hours.join(", ")}. ¿Qué trabajo necesita?`, profile)).toBe(
      "es",
    );
    expect(languageOf("What's the best phone number or email to reach you?", profile)).toBe("en");
  });

  it("classifies asks, including a question that points back to the sentence before", () => {
    expect([...asksIn("What's the year, make and model of the vehicle?")].sort()).toEqual([
      "make_model",
      "vehicle",
      "year",
    ]);
    expect([...asksIn("That number looks a digit short. Could you check it?")]).toEqual(["contact"]);
    expect([...asksIn("Thanks! Craig will reach out within one business day.")]).toEqual([]);
    expect(questionsOf("Got it. What's your name?")).toEqual(["what's your name"]);
  });

  it("answers: automated, price, hours, no appointment", () => {
    expect(
      answersTopic(
        "automated",
        "I'm an automated assistant; Craig reads every request.",
        ctx("is this a bot"),
      ),
    ).toBe(true);
    expect(answersTopic("automated", "Yes, I'm a real person!", ctx("is this a real person?"))).toBe(false);
    expect(answersTopic("price", "Craig quotes each job after seeing photos.", ctx("how much?"))).toBe(true);
    expect(answersTopic("price", "About $200, Craig quotes after seeing it.", ctx("how much?"))).toBe(false);
    expect(answersTopic("hours", "We're open weekdays 8am to 5:30pm.", ctx("hours?"))).toBe(true);
    expect(answersTopic("hours", "We're open!", ctx("hours?"))).toBe(false);
    expect(
      answersTopic(
        "no_appointment",
        "Nothing is booked yet; Craig will call to set up a time.",
        ctx("see you saturday"),
      ),
    ).toBe(true);
    expect(answersTopic("no_appointment", "Great, see you Saturday!", ctx("see you saturday"))).toBe(false);
  });

  it("spots promises the profile does not make, not the callback promise", () => {
    expect(promisesIn("You're all set for Saturday at 10.", profile)).toHaveLength(1);
    expect(promisesIn("It usually takes about 3 days.", profile)).toHaveLength(1);
    expect(promisesIn("A seat like that runs $250.", profile)).toHaveLength(1);
    expect(promisesIn("Craig will reach out within one business day.", profile)).toEqual([]);
  });
});

/** An assistant that always says the same thing, and a summarizer that returns a fixed summary. */
function fakes(
  reply: string,
  summary: Partial<LeadSummary>,
): { assistant: Assistant; summarizer: Summarizer } {
  return {
    assistant: {
      name: "local",
      async *reply() {
        yield reply;
      },
    },
    summarizer: {
      name: "local",
      async summarize() {
        // contact_time is set so this compiles whether or not LeadSummary has the field yet.
        return {
          handoff_ready: false,
          contact_time: null,
          customer_name: null,
          phone: null,
          email: null,
          preferred_contact: null,
          item_type: null,
          vehicle: null,
          service_category: null,
          service_details: null,
          timeline: null,
          budget: null,
          location: null,
          photo_count: 0,
          missing: [],
          summary: "",
          ...summary,
        } as LeadSummary;
      },
    },
  };
}

const script = (expected: Conversation["expected"], ...customer: string[]): Conversation => ({
  id: "engine-test",
  description: "engine test",
  class: ["happy"],
  language: "en",
  turns: customer.map((text) => ({ customer: text })),
  expected,
});

describe("eval engine", () => {
  it("counts a question asked again in the same words, and a fact asked more than twice", async () => {
    const report = await runConversation(script({ handoff_ready: false }, "hi", "seat", "2012 civic", "ok"), {
      ...fakes("What's your name?", {}),
      profile,
    });
    expect(report.repeatedQuestions).toHaveLength(3);
    expect(report.overAsked).toEqual([{ kind: "name", times: 4 }]);
  });

  it("flags the shop's own phone, a false ready and spam that got through", async () => {
    const shopPhone = await runConversation(
      script({ handoff_ready: false, phone: null, email: null }, "I called (512) 555-0142"),
      { ...fakes("Thanks!", { handoff_ready: true, phone: "+15125550142" }), profile },
    );
    expect(shopPhone.shopContact).toBe(true);
    expect(shopPhone.wrongContact).toEqual(["phone +15125550142"]);
    expect(shopPhone.falseReady).toBe(true);
    const spam = await runConversation(
      script({ handoff_ready: false, spam: true }, "SEO packages from $299"),
      {
        ...fakes("Thanks!", { missing: ["service"] }),
        profile,
      },
    );
    expect(spam.spamPassed).toBe(true);
  });
});
