import { describe, expect, it } from "vitest";
import { buildTranscript } from "../../../src/core/chat/transcript.js";
import { applySummaryFloor } from "../../../src/core/extract/summary-floor.js";
import type { LeadSummary } from "../../../src/core/lead-summary.js";
import { sampleSummary } from "../../support/lead-email.js";

const photo = (id: string) => ({
  id,
  name: `${id}.jpg`,
  mime_type: "image/jpeg",
  type: "image" as const,
  preview_url: `http://127.0.0.1:8787/api/attachments?id=chatkit-attachments/${id}.jpg`,
});

/** The shop gives its own number; the customer gives theirs, then corrects it; two photos from the customer. */
const conversation = buildTranscript([
  { role: "assistant", text: "Hi! Call us any time at (512) 555-0100.", attachments: [photo("shop")] },
  { role: "user", text: "Driver seat of my 2012 Honda Civic is torn.", attachments: [photo("a1")] },
  { role: "user", text: "I'm Maria, 512-555-0111. Sorry, I meant 512-555-0123", attachments: [photo("a2")] },
]);

const noContact = buildTranscript([
  { role: "assistant", text: "Hi! Call us any time at (512) 555-0100." },
  { role: "user", text: "Driver seat of my 2012 Honda Civic is torn. I'm Maria." },
]);

const floor = (model: LeadSummary, transcript = conversation) =>
  applySummaryFloor(model, transcript, { defaultRegion: "US" });

describe("applySummaryFloor", () => {
  it.each<[string, Partial<LeadSummary>, Partial<LeadSummary>]>([
    [
      "an invented phone and email give way to what the customer said last",
      { phone: "+15125550199", email: "owner@example.com" },
      { phone: "+15125550123", email: null, handoff_ready: true },
    ],
    [
      "the shop's own number is never the customer's",
      { phone: "+15125550100", email: null },
      { phone: "+15125550123", handoff_ready: true },
    ],
    [
      "a model may be stricter than the rule",
      { handoff_ready: false },
      { handoff_ready: false, phone: "+15125550123" },
    ],
    [
      "a model may not be looser: ready without a service is not ready",
      { handoff_ready: true, service_category: null },
      { handoff_ready: false, missing: ["service", "budget"] },
    ],
    [
      "a model may not be looser: a car without a make is not ready",
      { handoff_ready: true, vehicle: { year: 2012, make: null, model: null } },
      { handoff_ready: false, missing: ["vehicle", "budget"] },
    ],
    [
      "photo_count counts the customer's images, never the assistant's",
      { photo_count: 7 },
      { photo_count: 2 },
    ],
    [
      "recomputed missing keys replace the model's; other hints stay once, in order",
      { missing: ["Contact", "timeline", "Timeline", " ", "name", "budget"] },
      { missing: ["timeline", "budget"] },
    ],
  ])("%s", (_name, model, expected) => {
    expect(floor(sampleSummary(model))).toMatchObject(expected);
  });

  it("takes contact from the customer only: none stated means none, not ready, contact missing", () => {
    const result = floor(sampleSummary({ missing: [] }), noContact);
    expect(result).toMatchObject({ phone: null, email: null, handoff_ready: false, photo_count: 0 });
    expect(result.missing).toEqual(["contact"]);
  });

  it.each(["spam", "Spam", " SPAM "])(
    "a model that lists %j in missing keeps handoff_ready false, and the hint stays",
    (word) => {
      const result = floor(sampleSummary({ handoff_ready: true, missing: [word] }));
      expect(result.handoff_ready).toBe(false);
      expect(result.missing).toEqual([word.trim()]);
    },
  );

  it.each([
    [
      "a sales pitch",
      "We do SEO for auto upholstery shops, page one on Google in 30 days. Call me at 512-555-0177.",
    ],
    [
      "a vendor",
      "I'm a vinyl and leather supplier, wholesale pricing for shops. Email sales@vinylco.example",
    ],
    ["a job seeker", "Are you hiring? I have 5 years as an upholsterer. My number is 512-555-0177."],
  ])(
    "%s the local detector reads is spam whatever a gullible model says: not ready, spam in missing",
    (_kind, text) => {
      const pitch = buildTranscript([
        { role: "assistant", text: "Hi! What can we help you with?" },
        { role: "user", text },
        { role: "user", text: "It's for my 2012 Honda Civic seat. I'm Dana." },
      ]);
      // The model takes it for a complete lead and lists no spam.
      const result = floor(sampleSummary({ handoff_ready: true, missing: [] }), pitch);
      expect(result.handoff_ready).toBe(false);
      expect(result.missing[0]).toBe("spam");
      expect(result.missing.filter((item) => item.toLowerCase() === "spam")).toHaveLength(1);
      // The model saying so too changes nothing, and the rest of the floor still applies.
      const agreed = floor(sampleSummary({ handoff_ready: true, missing: ["Spam"] }), pitch);
      expect(agreed.missing.filter((item) => item.toLowerCase() === "spam")).toEqual(["spam"]);
      expect(agreed.handoff_ready).toBe(false);
    },
  );

  it("a customer's own chat is not spam for the floor (no spam added, ready by the rule)", () => {
    const result = floor(sampleSummary({ handoff_ready: true, missing: [] }));
    expect(result.missing).not.toContain("spam");
    expect(result.handoff_ready).toBe(true);
  });

  it("a model that says ready without the customer's contact stays not ready", () => {
    const result = floor(
      sampleSummary({ handoff_ready: true, phone: "+15125550123", missing: [] }),
      noContact,
    );
    expect(result).toMatchObject({ handoff_ready: false, phone: null, email: null, missing: ["contact"] });
  });

  it("drops the shop's own phone and email (the profile's) even when the customer repeats them", () => {
    const shop = { phones: new Set(["+15125550142"]), emails: new Set(["shop@craigs.example"]) };
    const repeats = buildTranscript([
      {
        role: "user",
        text: "Called (512) 555-0142 and wrote shop@craigs.example. My 2012 Honda Civic seat is torn.",
      },
    ]);
    const model = sampleSummary({ handoff_ready: true, phone: "+15125550142", email: "shop@craigs.example" });
    const result = applySummaryFloor(model, repeats, { defaultRegion: "US", shop });
    expect(result).toMatchObject({ phone: null, email: null, handoff_ready: false });
    expect(result.missing).toContain("contact");
  });

  it("keeps every other field of the model's answer as it came", () => {
    const model = sampleSummary({ summary: "As the model wrote it.", timeline: "May" });
    const { phone, email, missing, photo_count, handoff_ready, ...rest } = floor(model);
    const { phone: _p, email: _e, missing: _m, photo_count: _c, handoff_ready: _h, ...expected } = model;
    expect(rest).toEqual(expected);
    expect([phone, email, photo_count, handoff_ready]).toEqual(["+15125550123", null, 2, true]);
    expect(missing).toEqual(["budget"]);
  });
});
