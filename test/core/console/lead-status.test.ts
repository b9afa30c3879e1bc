import { describe, expect, it } from "vitest";
import {
  CONSOLE_STATES,
  describeMissing,
  type LeadStatus,
  type LeadStatusInput,
  leadStatus,
  STATE_LABELS,
} from "../../../src/core/console/lead-status.js";

const NOW = Date.parse("2026-07-14T15:00:00Z");
const MIN = 60_000;
const IDLE = 2 * MIN;

/** A lead the rules call ready, the customer quiet for 10 minutes, no send row, no decision. */
const input = (overrides: Partial<LeadStatusInput> = {}): LeadStatusInput => ({
  send: null,
  summary: { handoff_ready: true, missing: [], phone: "+15125550199", email: null },
  lastCustomerActivityAt: NOW - 10 * MIN,
  now: NOW,
  idleDelayMs: IDLE,
  lastDecision: null,
  ...overrides,
});
const notReady = (missing: string[], contact: { phone?: string | null; email?: string | null } = {}) => ({
  handoff_ready: false,
  missing,
  phone: contact.phone === undefined ? "+15125550199" : contact.phone,
  email: contact.email ?? null,
});

describe("describeMissing", () => {
  it.each([
    [["name"], "missing a name"],
    [["name", "vehicle"], "missing a name, the vehicle or item"],
    [["service", "contact"], "missing what they need, a phone or email"],
    // Names it has no words for are shown as they are, underscores as spaces.
    [["photo_count"], "missing photo count"],
    // Spam says only that, whatever else is listed.
    [["name", "spam", "contact"], "looks like spam"],
    [[], "not ready"],
  ])("%j -> %j", (missing, text) => {
    expect(describeMissing(missing)).toBe(text);
  });
});

describe("leadStatus with a send row", () => {
  const send = (overrides: Partial<NonNullable<LeadStatusInput["send"]>>) => ({
    state: "sent" as const,
    followUps: 0,
    retryAfter: null,
    lastError: null,
    ...overrides,
  });

  it.each([
    ["sent", send({}), { state: "sent", why: null, retryAt: null }],
    ["one follow-up", send({ followUps: 1 }), { state: "follow_up_sent", why: "1 follow-up", retryAt: null }],
    [
      "three follow-ups",
      send({ followUps: 3 }),
      { state: "follow_up_sent", why: "3 follow-ups", retryAt: null },
    ],
    [
      "error: the error text and when it is tried again",
      send({ state: "error", retryAfter: NOW + 5 * MIN, lastError: "451 4.7.1 try again later" }),
      { state: "error", why: "451 4.7.1 try again later", retryAt: NOW + 5 * MIN },
    ],
    [
      "failed: the error text, never tried again",
      send({ state: "failed", retryAfter: NOW + 5 * MIN, lastError: "550 5.1.1 no such user" }),
      { state: "failed", why: "550 5.1.1 no such user", retryAt: null },
    ],
    ["sending", send({ state: "sending" }), { state: "sending", why: null, retryAt: null }],
  ])("%s", (_name, row, expected) => {
    expect(leadStatus(input({ send: row }))).toEqual(expected);
  });

  it("reads the send row before anything the transcript says (customer writing again, no contact)", () => {
    const status = leadStatus(
      input({
        send: send({ followUps: 1 }),
        summary: notReady(["contact"], { phone: null }),
        lastCustomerActivityAt: NOW - 1000,
      }),
    );
    expect(status).toEqual({ state: "follow_up_sent", why: "1 follow-up", retryAt: null });
  });
});

describe("leadStatus before any send", () => {
  const ready: LeadStatus = { state: "open", why: "ready: goes out on the next sweep", retryAt: null };
  const writing: LeadStatus = { state: "open", why: "the customer is still writing", retryAt: null };

  it.each<[string, Partial<LeadStatusInput>, LeadStatus]>([
    ["ready -> open for the next sweep", {}, ready],
    [
      "ready with an email only",
      { summary: { handoff_ready: true, missing: [], phone: null, email: "a@b.co" } },
      ready,
    ],
    ["no customer message timestamp: not writing", { lastCustomerActivityAt: null }, ready],
    ["still writing inside the idle window", { lastCustomerActivityAt: NOW - 30_000 }, writing],
    [
      "still writing even with no contact and nothing else",
      { lastCustomerActivityAt: NOW - 30_000, summary: notReady(["contact", "name"], { phone: null }) },
      writing,
    ],
    // The window is `now - last < idle`: at exactly the delay the customer counts as quiet.
    ["quiet at exactly the idle delay", { lastCustomerActivityAt: NOW - IDLE }, ready],
    ["still writing one ms before the delay", { lastCustomerActivityAt: NOW - IDLE + 1 }, writing],
    [
      "no contact after the window: says only the contact, not the other gaps",
      { summary: notReady(["name", "contact"], { phone: null }) },
      { state: "not_ready", why: "missing a phone or email", retryAt: null },
    ],
    [
      "no contact wins over a ready flag",
      { summary: { handoff_ready: true, missing: [], phone: null, email: null } },
      { state: "not_ready", why: "missing a phone or email", retryAt: null },
    ],
    ["spam", { summary: notReady(["spam"]) }, { state: "not_ready", why: "looks like spam", retryAt: null }],
    [
      "not ready with the missing words",
      { summary: notReady(["service", "vehicle"]) },
      { state: "not_ready", why: "missing what they need, the vehicle or item", retryAt: null },
    ],
    [
      "not ready with no missing names",
      { summary: notReady([]) },
      { state: "not_ready", why: "not ready", retryAt: null },
    ],
  ])("%s", (_name, overrides, expected) => {
    expect(leadStatus(input(overrides))).toEqual(expected);
  });
});

describe("leadStatus and the newest handoff decision", () => {
  const last = NOW - 10 * MIN;
  const decision = (overrides: Partial<NonNullable<LeadStatusInput["lastDecision"]>> = {}) => ({
    leadReason: "not_ready" as const,
    detail: "name, vehicle" as string | null,
    at: last + MIN,
    ...overrides,
  });

  it("a model's not_ready after the customer's last message outranks rules that say ready", () => {
    expect(leadStatus(input({ lastDecision: decision() }))).toEqual({
      state: "not_ready",
      why: "missing a name, the vehicle or item",
      retryAt: null,
    });
  });

  it("its words win over the rules' own missing list", () => {
    const status = leadStatus(
      input({ summary: notReady(["service"]), lastDecision: decision({ detail: "name" }) }),
    );
    expect(status.why).toBe("missing a name");
  });

  it("a decision without detail says just not ready", () => {
    expect(leadStatus(input({ lastDecision: decision({ detail: null }) }))).toEqual({
      state: "not_ready",
      why: "not ready",
      retryAt: null,
    });
  });

  it("a decision at the very instant of the last message still counts", () => {
    expect(leadStatus(input({ lastDecision: decision({ at: last }) })).state).toBe("not_ready");
  });

  it("a decision with no customer timestamp counts", () => {
    expect(leadStatus(input({ lastCustomerActivityAt: null, lastDecision: decision() })).state).toBe(
      "not_ready",
    );
  });

  it("a decision older than the customer's last message is ignored (they said something new)", () => {
    expect(leadStatus(input({ lastDecision: decision({ at: last - 1 }) }))).toEqual({
      state: "open",
      why: "ready: goes out on the next sweep",
      retryAt: null,
    });
  });

  it.each(["missing_contact", "error", "sent", "not_idle"] as const)(
    "a newer %s decision does not make a ready lead not ready",
    (leadReason) => {
      expect(leadStatus(input({ lastDecision: decision({ leadReason }) })).why).toBe(
        "ready: goes out on the next sweep",
      );
    },
  );

  it("does not hide that the customer is still writing, or that there is no contact", () => {
    expect(
      leadStatus(input({ lastCustomerActivityAt: NOW - 1000, lastDecision: decision({ at: NOW - 500 }) }))
        .why,
    ).toBe("the customer is still writing");
    expect(
      leadStatus(input({ summary: notReady(["contact"], { phone: null }), lastDecision: decision() })).why,
    ).toBe("missing a phone or email");
  });
});

describe("state labels", () => {
  it("words every state", () => {
    for (const state of CONSOLE_STATES) expect(STATE_LABELS[state]).toMatch(/^[A-Z][a-z -]+$/);
    expect(STATE_LABELS.follow_up_sent).toBe("Follow-up sent");
  });
});
