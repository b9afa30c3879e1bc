import { describe, expect, it } from "vitest";
import {
  composeDigest,
  type DigestFacts,
  type DigestLead,
  type DigestOutcome,
  type DigestWeek,
  digestWeek,
  formatWait,
  needsAttention,
} from "../../../src/core/console/digest.js";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MIN = 60_000;

/** digestWeek's instants as ISO strings, for readable failures. */
const weekOf = (now: string, zone: string) => {
  const w = digestWeek(at(now), zone);
  return { label: w.label, from: iso(w.from), to: iso(w.to), dueAt: iso(w.dueAt) };
};

describe("digestWeek", () => {
  // Chicago is CDT (-05:00) from 2026-03-08 to 2026-11-01 and CST (-06:00) otherwise.
  const julyWeek = {
    label: "2026-07-06",
    from: "2026-07-06T05:00:00.000Z", // Monday 2026-07-06 00:00 CDT
    to: "2026-07-13T05:00:00.000Z", // Monday 2026-07-13 00:00 CDT
    dueAt: "2026-07-13T13:00:00.000Z", // Monday 2026-07-13 08:00 CDT
  };

  it.each([
    // Monday 07:00 CDT: the digest for the previous Mon-Sun is due later today.
    ["a Monday before 08:00", "2026-07-13T12:00:00Z", julyWeek],
    // Monday 09:00 CDT: the same week, now due.
    ["a Monday after 08:00", "2026-07-13T14:00:00Z", julyWeek],
    // Sunday 23:30 CDT (already Monday in UTC): the week in progress is not reported yet; the digest
    // in force is still the one for the week before, due since last Monday 08:00.
    ["a Sunday night", "2026-07-20T04:30:00Z", julyWeek],
    // One ms before the shop's Monday midnight, and the midnight itself.
    ["the last ms of Sunday", "2026-07-20T04:59:59.999Z", julyWeek],
    [
      "Monday midnight",
      "2026-07-20T05:00:00Z",
      {
        label: "2026-07-13",
        from: "2026-07-13T05:00:00.000Z",
        to: "2026-07-20T05:00:00.000Z",
        dueAt: "2026-07-20T13:00:00.000Z",
      },
    ],
    // Across the new year: 2026-01-05 is a Monday, the week reported starts 2025-12-29.
    [
      "the first Monday of a year",
      "2026-01-05T15:00:00Z",
      {
        label: "2025-12-29",
        from: "2025-12-29T06:00:00.000Z",
        to: "2026-01-05T06:00:00.000Z",
        dueAt: "2026-01-05T14:00:00.000Z",
      },
    ],
  ])("America/Chicago on %s", (_name, now, expected) => {
    expect(weekOf(now, "America/Chicago")).toEqual(expected);
  });

  it("runs from local midnight to local midnight across the fall-back (2026-11-01)", () => {
    // Monday 2026-11-02 09:00 CST reports Mon 2026-10-26 (CDT) to Sun 2026-11-01 (the change).
    const week = digestWeek(at("2026-11-02T15:00:00Z"), "America/Chicago");
    expect(week.label).toBe("2026-10-26");
    expect(iso(week.from)).toBe("2026-10-26T05:00:00.000Z"); // 00:00 CDT (-5)
    expect(iso(week.to)).toBe("2026-11-02T06:00:00.000Z"); // 00:00 CST (-6)
    expect(iso(week.dueAt)).toBe("2026-11-02T14:00:00.000Z"); // 08:00 CST
    expect(week.to - week.from).toBe(7 * DAY + HOUR);
  });

  it("runs from local midnight to local midnight across the spring-forward (2026-03-08)", () => {
    const week = digestWeek(at("2026-03-09T14:00:00Z"), "America/Chicago");
    expect(week.label).toBe("2026-03-02");
    expect(iso(week.from)).toBe("2026-03-02T06:00:00.000Z"); // 00:00 CST
    expect(iso(week.to)).toBe("2026-03-09T05:00:00.000Z"); // 00:00 CDT
    expect(iso(week.dueAt)).toBe("2026-03-09T13:00:00.000Z"); // 08:00 CDT
    expect(week.to - week.from).toBe(7 * DAY - HOUR);
  });

  it("Europe/Berlin across its fall-back (2026-10-25), due at exactly 08:00 CET", () => {
    expect(weekOf("2026-10-26T07:00:00Z", "Europe/Berlin")).toEqual({
      label: "2026-10-19",
      from: "2026-10-18T22:00:00.000Z", // Monday 00:00 CEST (+2)
      to: "2026-10-25T23:00:00.000Z", // Monday 00:00 CET (+1)
      dueAt: "2026-10-26T07:00:00.000Z",
    });
  });

  it("Asia/Kolkata (+05:30): the shop's Monday while UTC is still on Sunday", () => {
    // 2026-05-31T20:00Z is Sunday in UTC, Monday 01:30 in Kolkata.
    expect(weekOf("2026-05-31T20:00:00Z", "Asia/Kolkata")).toEqual({
      label: "2026-05-25",
      from: "2026-05-24T18:30:00.000Z",
      to: "2026-05-31T18:30:00.000Z",
      dueAt: "2026-06-01T02:30:00.000Z",
    });
    // The same instant in Chicago is Sunday 15:00: the week reported is one earlier.
    expect(digestWeek(at("2026-05-31T20:00:00Z"), "America/Chicago").label).toBe("2026-05-18");
  });

  it("every instant of a week maps to the same digest, due 8 h after the week's end", () => {
    // The week of Mon 2026-10-26 (CDT) to Sun 2026-11-01 reports Mon 2026-10-19; the next, 2026-10-26.
    const change = at("2026-11-02T06:00:00Z"); // Monday 2026-11-02 00:00 CST
    for (let t = at("2026-10-26T05:00:00Z"); t < at("2026-11-09T06:00:00Z"); t += 5 * HOUR) {
      const week = digestWeek(t, "America/Chicago");
      expect(week.label).toBe(t < change ? "2026-10-19" : "2026-10-26");
      expect(week.dueAt - week.to).toBe(8 * HOUR);
      expect(t).toBeGreaterThanOrEqual(week.to);
    }
  });
});

describe("formatWait", () => {
  it.each([
    [0, "under a minute"],
    [29_999, "under a minute"],
    [30_000, "1 min"],
    [4 * MIN, "4 min"],
    [59 * MIN, "59 min"],
    [59.5 * MIN, "1 h"],
    [60 * MIN, "1 h"],
    [65 * MIN, "1 h 5 min"],
    [121 * MIN, "2 h 1 min"],
    [25 * HOUR, "25 h"],
  ])("%d ms -> %j", (ms, text) => {
    expect(formatWait(ms)).toBe(text);
  });
});

describe("needsAttention", () => {
  it.each<[DigestLead["state"], boolean, boolean]>([
    ["failed", true, true],
    ["failed", false, true],
    ["error", true, true],
    ["error", false, true],
    ["not_ready", true, true],
    ["not_ready", false, false],
    ["open", true, false],
    ["sending", true, false],
    ["sent", true, false],
    ["follow_up_sent", true, false],
  ])("%s with contact %s -> %s", (state, hasContact, expected) => {
    expect(needsAttention(lead({ state, hasContact }))).toBe(expected);
  });
});

// The week of Monday 2026-07-06 in Chicago.
const WEEK: DigestWeek = digestWeek(at("2026-07-13T14:00:00Z"), "America/Chicago");
let seq = 0;
function lead(overrides: Partial<DigestLead> = {}): DigestLead {
  seq += 1;
  return {
    threadId: `cthr_${seq}`,
    customerName: `Customer ${seq}`,
    state: "open",
    why: null,
    hasContact: true,
    source: "google",
    sentAt: null,
    waitedMs: null,
    ...overrides,
  };
}
const sent = (waitedMs: number | null, sentAt = WEEK.from + DAY) => lead({ state: "sent", sentAt, waitedMs });
const facts = (overrides: Partial<DigestFacts> = {}): DigestFacts => ({
  week: WEEK,
  shopName: "Lone Star Upholstery",
  timeZone: "America/Chicago",
  leads: [],
  outcomes: [],
  consoleUrl: "https://shop.example/owner",
  truncated: false,
  ...overrides,
});
/** The text digest's "Key: value" line. */
const line = (text: string, key: string) => text.split("\n").find((l) => l.startsWith(`${key}: `));
const won = (value: string, currency: string | null = "USD"): DigestOutcome => ({
  outcome: "won",
  value,
  currency,
});

describe("composeDigest", () => {
  it("an empty week", () => {
    const { subject, text } = composeDigest(facts());
    expect(subject).toBe("Weekly leads: 2026-07-06 to 2026-07-12, 0 conversations, 0 sent");
    expect(text).toBe(
      [
        "Lone Star Upholstery: the week of 2026-07-06 to 2026-07-12 (America/Chicago)",
        "",
        "Conversations: 0",
        "Lead emails sent: 0",
        "Sent after the customer went quiet: no lead sent",
        "Outcomes recorded: none",
        "Won: nothing recorded",
        "Top sources: none",
        "",
        "Nothing needs attention.",
        "",
        "All conversations: https://shop.example/owner",
        "",
      ].join("\n"),
    );
  });

  it("counts conversations, and as sent only emails sent inside the week", () => {
    const leads = [
      sent(MIN, WEEK.from), // first instant: in
      sent(MIN, WEEK.to - 1), // last instant: in
      sent(MIN, WEEK.from - 1), // sent the week before: out
      sent(MIN, WEEK.to), // sent after the week: out
      lead(),
    ];
    const { subject, text } = composeDigest(facts({ leads }));
    expect(line(text, "Conversations")).toBe("Conversations: 5");
    expect(line(text, "Lead emails sent")).toBe("Lead emails sent: 2");
    expect(subject).toBe("Weekly leads: 2026-07-06 to 2026-07-12, 5 conversations, 2 sent");
    expect(composeDigest(facts({ leads: [lead()] })).subject).toBe(
      "Weekly leads: 2026-07-06 to 2026-07-12, 1 conversation, 0 sent",
    );
  });

  it.each([
    // Odd count: the middle one. The send outside the week (10 h) is left out; with it the median
    // would be (4 + 65) / 2 min, "35 min".
    ["odd", [sent(MIN), sent(65 * MIN), sent(4 * MIN), sent(10 * HOUR, WEEK.to + 1)], "4 min"],
    // Even count: the mean of the two middle ones (10 and 60 min -> 35), not either of them.
    ["even", [sent(60 * MIN), sent(10 * MIN)], "35 min"],
    ["even, over an hour", [sent(70 * MIN), sent(60 * MIN), sent(5 * MIN), sent(3 * HOUR)], "1 h 5 min"],
    // Sends without a wait count as sent but not in the median.
    ["with unknown waits", [sent(null), sent(20 * MIN), sent(null)], "20 min"],
    ["one quick send", [sent(10_000)], "under a minute"],
  ])("median wait, %s", (_name, leads, wait) => {
    expect(line(composeDigest(facts({ leads })).text, "Sent after the customer went quiet")).toBe(
      `Sent after the customer went quiet: ${wait} (median)`,
    );
  });

  it("no wait known at all", () => {
    expect(
      line(composeDigest(facts({ leads: [sent(null)] })).text, "Sent after the customer went quiet"),
    ).toBe("Sent after the customer went quiet: no lead sent");
  });

  it("counts outcomes by kind, in the order first seen", () => {
    const outcomes: DigestOutcome[] = [
      won("10.00"),
      { outcome: "lost", value: null, currency: null },
      { outcome: "no_answer", value: null, currency: null },
      won("20.00"),
      { outcome: "lost", value: null, currency: null },
      { outcome: "booked", value: null, currency: null },
    ];
    expect(line(composeDigest(facts({ outcomes })).text, "Outcomes recorded")).toBe(
      "Outcomes recorded: Won 2, Lost 2, No answer 1, Booked 1",
    );
  });

  it.each<[string, DigestOutcome[], string]>([
    // In floats 0.1 + 0.2 is 0.30000000000000004.
    ["no float error", [won("0.10"), won("0.20")], "0.30 USD"],
    ["carries into thousands", [won("1999.99"), won("0.01")], "2,000.00 USD"],
    ["groups large sums", [won("999999999.99"), won("999999999.99")], "1,999,999,999.98 USD"],
    [
      "per currency, in the order first seen",
      [won("5.00", "EUR"), won("650.00"), won("2.50", "EUR")],
      "7.50 EUR + 650.00 USD",
    ],
    ["no currency recorded", [won("12.00", null)], "12.00"],
    // Only won outcomes add up.
    [
      "other outcomes ignored",
      [won("100.00"), { outcome: "lost", value: "50.00", currency: "USD" }],
      "100.00 USD",
    ],
  ])("won totals: %s", (_name, outcomes, total) => {
    expect(line(composeDigest(facts({ outcomes })).text, "Won")).toBe(`Won: ${total}`);
  });

  it("won outcomes without a value: nothing to add", () => {
    const outcomes: DigestOutcome[] = [{ outcome: "won", value: null, currency: "USD" }];
    const { text } = composeDigest(facts({ outcomes }));
    expect(line(text, "Won")).toBe("Won: nothing recorded");
    expect(line(text, "Outcomes recorded")).toBe("Outcomes recorded: Won 1");
  });

  it("top 3 sources, ties by name, no source as direct or unknown", () => {
    const leads = ["yelp", null, "facebook", "google", "bing", "google", "facebook"].map((source) =>
      lead({ source }),
    );
    // facebook 2 and google 2 (a tie: by name), then bing, direct or unknown and yelp at 1 (bing by name).
    expect(line(composeDigest(facts({ leads })).text, "Top sources")).toBe(
      "Top sources: facebook (2), google (2), bing (1)",
    );
    const fewer = [lead({ source: "yelp" }), lead({ source: null }), lead({ source: null })];
    expect(line(composeDigest(facts({ leads: fewer })).text, "Top sources")).toBe(
      "Top sources: direct or unknown (2), yelp (1)",
    );
  });

  it("lists what needs attention with links, and only that", () => {
    const leads = [
      lead({ threadId: "t/1", customerName: "Maria", state: "failed", why: "550 no such user" }),
      lead({ threadId: "t2", customerName: null, state: "error", why: "timeout" }),
      lead({
        threadId: "t3",
        customerName: "Ann",
        state: "not_ready",
        why: "missing a name",
        hasContact: true,
      }),
      lead({
        threadId: "t4",
        customerName: "Zed",
        state: "not_ready",
        why: "missing a phone or email",
        hasContact: false,
      }),
      lead({ threadId: "t5", customerName: "Sam", state: "sent" }),
      lead({ threadId: "t6", customerName: "Ola", state: "open", why: "the customer is still writing" }),
      lead({ threadId: "t7", customerName: "Bo", state: "error", why: null }),
    ];
    const { text, html } = composeDigest(facts({ leads }));
    const section = text.slice(text.indexOf("Needs attention:"), text.indexOf("All conversations:"));
    expect(section).toBe(
      [
        "Needs attention:",
        "- Maria: failed (550 no such user)",
        "  https://shop.example/owner/conversations/t%2F1",
        "- No name: error (timeout)",
        "  https://shop.example/owner/conversations/t2",
        "- Ann: not ready (missing a name)",
        "  https://shop.example/owner/conversations/t3",
        "- Bo: error",
        "  https://shop.example/owner/conversations/t7",
        "",
        "",
      ].join("\n"),
    );
    expect(html).toContain(
      '<li><a href="https://shop.example/owner/conversations/t%2F1">Maria: failed (550 no such user)</a></li>',
    );
    expect(html).not.toContain("Zed");
    expect(html).not.toContain("Nothing needs attention");
  });

  it("lists at most 10 that need attention", () => {
    const leads = Array.from({ length: 12 }, (_, i) => lead({ threadId: `f${i}`, state: "failed" }));
    const { text } = composeDigest(facts({ leads }));
    expect(text.split("\n").filter((l) => l.startsWith("- "))).toHaveLength(10);
    expect(text).toContain("/conversations/f9\n");
    expect(text).not.toContain("/conversations/f10");
  });

  it("says 'at least' when the conversations read were capped", () => {
    const leads = [sent(MIN), lead()];
    const capped = composeDigest(facts({ leads, truncated: true }));
    expect(line(capped.text, "Conversations")).toBe("Conversations: at least 2");
    expect(line(capped.text, "Lead emails sent")).toBe("Lead emails sent: at least 1");
    expect(capped.subject).toBe(
      "Weekly leads: 2026-07-06 to 2026-07-12, at least 2 conversations, at least 1 sent",
    );
    expect(capped.html).toContain("at least 2");
    const full = composeDigest(facts({ leads }));
    expect(full.text).not.toContain("at least");
    expect(full.subject).not.toContain("at least");
  });

  it("escapes customer text in the HTML and keeps it out of the subject", () => {
    const hostile = "<img src=x onerror=alert(1)>";
    const leads = [
      lead({
        customerName: hostile,
        state: "failed",
        why: `"quoted" & <b>bold</b>`,
        source: "<script>x()</script>",
      }),
      lead({ customerName: "Eve\r\nBcc: victim@example.com", state: "error", why: "a\nb" }),
    ];
    const { subject, html, text } = composeDigest(facts({ leads, shopName: "Bob's <Shop>\r\nX-Evil: 1" }));
    expect(html).not.toMatch(/<img|<script|<b>/);
    expect(html).toContain(
      "&lt;img src=x onerror=alert(1)&gt;: failed (&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;)",
    );
    expect(html).toContain("&lt;script&gt;x()&lt;/script&gt; (1)");
    expect(html).toContain("Bob&#39;s &lt;Shop&gt;");
    // The subject is built from our own words, dates and counts only.
    expect(subject).toBe("Weekly leads: 2026-07-06 to 2026-07-12, 2 conversations, 0 sent");
    expect(subject).not.toMatch(/[\r\n]/);
    // The plain text is not HTML: the name is there as written.
    expect(text).toContain(`- ${hostile}: failed`);
  });
});
