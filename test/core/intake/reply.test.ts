import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_BUSINESS_PROFILE as profile } from "../../../src/core/business-profile.js";
import { buildTranscript } from "../../../src/core/chat/transcript.js";
import { summarizeTranscript } from "../../../src/core/extract/summarize-transcript.js";
import { intakeReply } from "../../../src/core/intake/reply.js";

const CLOSE = "Craig will reach out within one business day.";
const photo = {
  id: "att_1",
  name: "seat.jpg",
  mime_type: "image/jpeg",
  type: "image",
  preview_url: "http://localhost:8787/api/attachments?id=chatkit-attachments/att1.jpg",
};

type Message = string | { text: string; attachments: unknown[] };

/** Plays a customer script against the assistant, as the chat runtime would; returns every reply. */
function converse(
  script: readonly Message[],
  start: unknown[] = [],
): { replies: string[]; items: unknown[] } {
  const items = [...start];
  const replies: string[] = [];
  for (const message of script) {
    items.push({ role: "user", ...(typeof message === "string" ? { text: message } : message) });
    const transcript = buildTranscript(items);
    const summary = summarizeTranscript(transcript, { defaultRegion: "US" });
    const reply = intakeReply({ transcript, profile, summary });
    items.push({ role: "assistant", text: reply });
    replies.push(reply);
  }
  return { replies, items };
}

const reply = (...script: Message[]) => converse(script).replies.at(-1) ?? "";

describe("intakeReply", () => {
  it("walks a visitor from greeting to a confirmed, closed lead, one question at a time", () => {
    const { replies, items } = converse([
      "hi",
      "the drivers seat has a rip in it",
      "its a 2012 honda civic",
      { text: "", attachments: [photo] },
      "Maria Lopez",
      "512-555-0123, text is best",
    ]);
    const [greet, vehicle, photos, name, contact, close] = replies;
    expect(greet).toMatch(/^Hi, thanks for reaching out to Craig's Auto Upholstery!/);
    expect(greet).toMatch(/What needs doing.*vehicle/);
    // The first question already asked for the vehicle: the second ask is worded differently.
    expect(vehicle).toBe("Which vehicle is it, if you don't mind (for example, a 2012 Honda Civic)?");
    expect(photos).toMatch(/photo or two/);
    expect(name).toBe("Thanks for the photo! What's your name?");
    expect(contact).toBe("Thanks, Maria! What's the best phone number or email to reach you?");
    expect(close).toBe(
      `So that's a seat repair on your 2012 Honda Civic, and we'll text you at (512) 555-0123. ${CLOSE}`,
    );
    // Only the first reply greets; every reply is short and plain.
    for (const text of replies.slice(1)) expect(text).not.toMatch(/^Hi\b/);
    for (const text of replies) {
      expect(text.split(/(?<=[.!?])\s+/).length).toBeLessThanOrEqual(4);
      expect(text).not.toMatch(/[*#`_]/);
    }
    // The assistant is done exactly when the summarizer says the lead is ready.
    expect(summarizeTranscript(buildTranscript(items), { defaultRegion: "US" }).handoff_ready).toBe(true);
    const after = converse(["thanks!"], items).replies[0];
    expect(after).toBe(`You're welcome! ${CLOSE}`);
  });

  it("never asks again for what the customer already said", () => {
    const { replies } = converse([
      "Hi I'm Tom, the headliner in my 2009 Toyota Camry is sagging",
      "no photos right now",
      "tom@example.com",
    ]);
    expect(replies[0]).toMatch(/photo or two/);
    expect(replies[1]).toMatch(/best phone number or email/);
    expect(replies[2]).toContain("So that's a headliner on your 2009 Toyota Camry");
    expect(replies[2]).toContain("we'll email you at tom@example.com");
    const all = replies.join(" ");
    expect(all).not.toMatch(/year, make and model|What needs doing|your name/);
    expect(all.match(/photo or two/g)).toHaveLength(1);
  });

  it("confirms everything in one go when the first message has it all, then invites photos", () => {
    const text = reply(
      "My name is Ana, the carpet in my 2015 Jeep Wrangler is worn out. Call me at 737-555-0110",
    );
    expect(text).toMatch(/^Hi, thanks for reaching out/);
    expect(text).toContain(
      "So that's carpet work on your 2015 Jeep Wrangler, and we'll call you at (737) 555-0110.",
    );
    expect(text).toContain(CLOSE);
    expect(text).toMatch(/photo or two/);
  });

  it("acknowledges a correction and confirms the corrected facts", () => {
    const { replies } = converse([
      "torn seat on my 2015 ford f-150",
      "no pics",
      "Dave",
      "dave@example.com",
      "actually it's a 2016",
    ]);
    expect(replies[3]).toContain("2015 Ford F-150");
    expect(replies[4]).toMatch(
      /^Got it, I've updated that\. So that's a seat repair on your 2016 Ford F-150/,
    );
  });

  it("answers hours, address and services from the profile, then continues the intake", () => {
    const hours = reply("what are your hours?");
    expect(hours).toContain("Mon-Fri 8am-5:30pm, Sat 9am-1pm, Sun closed");
    expect(hours).toMatch(/What needs doing/);
    expect(reply("hi", "where are you located?")).toContain(profile.address);
    const boats = reply("do you do boats?");
    expect(boats).toContain("Yes, we do: boat, RV and golf cart cushions and covers.");
    expect(boats).toContain("What needs doing on your boat?");
    const services = reply("hello", "what services do you offer?");
    for (const line of ["Headliners", "Convertible tops", "Motorcycle seats"]) {
      expect(services.toLowerCase()).toContain(line.toLowerCase());
    }
  });

  it("never names a price", () => {
    for (const question of [
      "how much to fix a seat?",
      "whats the price for a headliner",
      "ballpark cost for a 2010 f150 seat?",
    ]) {
      const text = reply(question);
      expect(text).toMatch(/Craig quotes every job after seeing it/);
      expect(text).not.toMatch(/\$|\d+\s*(?:dollars|bucks|usd)|\b\d{2,}\b(?! Ford)/i);
    }
  });

  it("turns away a sales pitch politely and briefly", () => {
    const { replies } = converse([
      "Hello, our SEO team can get your website on the first page of Google. Packages start at $299/month.",
      "email me at growth@rankfaster.example.com if you change your mind",
    ]);
    expect(replies[0]).toBe(
      "Thanks, but this chat is just for customers with upholstery work, so we'll pass.",
    );
    expect(replies[1]).toBe("No problem. Have a good day!");
  });

  it("answers Spanish in Spanish", () => {
    const { replies } = converse([
      "Hola, tengo una camioneta Chevy Silverado 2010 y el asiento del chofer está roto",
      "me llamo Juan, 210 555 0182",
    ]);
    expect(replies[0]).toMatch(/^¡Hola! Gracias por comunicarse con Craig's Auto Upholstery\./);
    expect(replies[0]).toMatch(/fotos/);
    expect(replies[1]).toContain("2010 Chevrolet Silverado");
    expect(replies[1]).toContain("(210) 555-0182");
    expect(replies[1]).toContain("Craig se comunicará con usted en un día hábil.");
  });

  it("greets from the profile before the customer says anything", () => {
    const transcript = buildTranscript([]);
    const summary = summarizeTranscript(transcript, { defaultRegion: "US" });
    expect(intakeReply({ transcript, profile, summary })).toBe(profile.greeting);
  });

  it("closes a handoff-ready fixture conversation", () => {
    const file = join(import.meta.dirname, "../../fixtures/conversations/civic-torn-seat-photos.json");
    const fixture = JSON.parse(readFileSync(file, "utf8")) as { items: Array<{ role: string }> };
    const items = fixture.items.slice(0, fixture.items.findLastIndex((item) => item.role === "user") + 1);
    const transcript = buildTranscript(items);
    const summary = summarizeTranscript(transcript, { defaultRegion: "US" });
    expect(summary.handoff_ready).toBe(true);
    const text = intakeReply({ transcript, profile, summary });
    expect(text).toBe(
      `Thanks, Maria! So that's a seat repair on your 2012 Honda Civic, and we'll text you at (512) 555-0123. ${CLOSE}`,
    );
  });
});
