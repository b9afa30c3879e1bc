import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteAttributionStore } from "../../src/adapters/sqlite/attribution-store.js";
import { openSqliteDatabase } from "../../src/adapters/sqlite/database.js";
import { createSqliteLeadStore } from "../../src/adapters/sqlite/lead-store.js";
import { createSqliteThreadStore } from "../../src/adapters/sqlite/thread-store.js";
import type { Attribution } from "../../src/core/attribution.js";
import { runCli } from "../support/cli.js";
import { makeTempDir, type TempDir } from "../support/temp-dir.js";
import { seedThread } from "../support/threads.js";

const DAY = 86_400_000;
const cli = runCli;

/** RFC 4180 back into records (quoted fields, doubled quotes, CRLF line ends). */
function parseCsv(text: string): string[][] {
  expect(text.endsWith("\r\n")).toBe(true);
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += char;
  }
  return records;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** `2026-11-03 14:05:00-0600` as an instant. */
const parseConversionTime = (text: string) => {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})([+-]\d{2})(\d{2})$/.exec(text);
  expect(match, text).not.toBeNull();
  const [, date, time, hours, minutes] = match as RegExpExecArray;
  return Date.parse(`${date}T${time}${hours}:${minutes}`);
};

/** The calendar date in Chicago of an instant (`en-CA` writes YYYY-MM-DD). */
const chicagoDate = (ms: number) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "America/Chicago" }).format(ms);

describe("lead-handoff export", () => {
  let temp: TempDir;
  let env: Record<string, string>;
  const now = Date.now();
  // Whole seconds: the file has no milliseconds.
  const sentA = Math.floor((now - 2 * DAY) / 1000) * 1000;
  const sentB = Math.floor((now - 1 * DAY) / 1000) * 1000;
  const since = chicagoDate(now - 20 * DAY);

  beforeAll(async () => {
    temp = makeTempDir();
    const dataDir = join(temp.dir, "data");
    env = {
      DATA_DIR: dataDir,
      SHOP_TIME_ZONE: "America/Chicago",
      ADS_CONVERSION_NAME_LEAD: "Chat lead, website",
      LEAD_DEFAULT_REGION: "US",
    };
    // Seeded through the same SQLite stores the server writes with.
    const db = openSqliteDatabase({ path: join(dataDir, "lead-handoff.sqlite") });
    const threads = createSqliteThreadStore({ db });
    const attribution = createSqliteAttributionStore({ db });
    const leads = createSqliteLeadStore({ db });
    const seed = async (
      threadId: string,
      visit: Attribution,
      createdAt: number,
      customerSays: string[],
      sentAt: number | null,
    ) => {
      await seedThread(
        threads,
        threadId,
        customerSays.map((text, i) => ({ role: "user" as const, text, at: createdAt + i * 1000 })),
      );
      await attribution.put({
        threadId,
        attribution: visit,
        createdAt,
        leadSentAt: null,
        ttl: now + 180 * DAY,
      });
      if (sentAt === null) return;
      const leaseId = `lease_${threadId}`;
      await leads.acquireLease({
        threadId,
        leaseId,
        now: sentAt,
        leaseExpiresAt: sentAt + 60_000,
        ttl: now + 30 * DAY,
      });
      await leads.markSent({ threadId, leaseId, messageId: `<${threadId}@test>`, sentAt });
      await attribution.markLeadSent(threadId, sentAt);
    };
    const firstSeen = (ms: number) => new Date(ms).toISOString();
    // A: an ad click, three days ago; the customer names the shop's own number before theirs.
    await seed(
      "cthr_a_gclid",
      { gclid: "CjwKCAtestGclidA", utm_source: "google", first_seen_at: firstSeen(now - 3 * DAY) },
      now - 3 * DAY,
      [
        "Hi, I tried calling you at (512) 555-0142 but nobody picked up",
        "Headliner on my 2015 Tacoma is sagging. I'm Ana, 512-555-0187, Ana.M.Ruiz@Gmail.com",
      ],
      sentA,
    );
    // B: no click id (a Facebook visit); a phone only.
    await seed(
      "cthr_b_plain",
      { utm_source: "facebook", first_seen_at: firstSeen(now - 1 * DAY - 60_000) },
      now - 1 * DAY - 60_000,
      ["Need my boat seats redone, text me at 737-555-0199"],
      sentB,
    );
    // C: a click 100 days old, the lead sent only three days ago: outside Google's window.
    await seed(
      "cthr_c_old",
      { gclid: "CjwKCAoldClickC", first_seen_at: firstSeen(now - 100 * DAY) },
      now - 100 * DAY,
      ["Back again about the convertible top, old@example.com"],
      now - 3 * DAY,
    );
    // D: sent before --since. E: never sent.
    await seed(
      "cthr_d_before",
      { gclid: "CjwKCAbeforeD" },
      now - 26 * DAY,
      ["d@example.com"],
      now - 25 * DAY,
    );
    await seed("cthr_e_unsent", { gclid: "CjwKCAunsentE" }, now - DAY, ["e@example.com"], null);
    db.close();
  });
  afterAll(() => temp.remove());

  it("writes the click conversions of leads with a gclid, inside 90 days, to --out", async () => {
    const out = join(temp.dir, "clicks.csv");
    const { code, stdout, stderr } = await cli(
      ["export", "--since", since, "--kind", "clicks", "--out", out],
      env,
    );
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(stderr.trim()).toBe(
      `1 conversion row(s) to ${out} (left out: no_click_id 1, outside_click_window 1)`,
    );
    const [parameters, header, ...rows] = parseCsv(readFileSync(out, "utf8"));
    expect(parameters).toEqual(["Parameters:TimeZone=America/Chicago"]);
    expect(header).toEqual([
      "Google Click ID",
      "Conversion Name",
      "Conversion Time",
      "Conversion Value",
      "Conversion Currency",
    ]);
    expect(rows).toHaveLength(1);
    const [gclid, name, time, value, currency] = rows[0] as string[];
    expect(gclid).toBe("CjwKCAtestGclidA");
    expect(name).toBe("Chat lead, website");
    expect(parseConversionTime(time as string)).toBe(sentA);
    expect(value).toBe("");
    expect(currency).toBe("");
  });

  it("prints the enhanced conversions, hashed, for leads with and without a click id, to stdout", async () => {
    const { code, stdout, stderr } = await cli(["export", "--since", since, "--kind", "enhanced"], env);
    expect(code).toBe(0);
    expect(stderr.trim()).toBe("2 conversion row(s) to stdout (left out: outside_click_window 1)");
    const [parameters, header, ...rows] = parseCsv(stdout);
    expect(parameters).toEqual(["Parameters:TimeZone=America/Chicago"]);
    expect(header).toEqual([
      "Email",
      "Phone Number",
      "Conversion Name",
      "Conversion Time",
      "Conversion Value",
      "Conversion Currency",
    ]);
    expect(rows).toHaveLength(2);
    const [a, b] = rows as [string[], string[]];
    // The customer's own number, not the shop's; Gmail periods removed before hashing.
    expect(a.slice(0, 3)).toEqual([
      sha256("anamruiz@gmail.com"),
      sha256("+15125550187"),
      "Chat lead, website",
    ]);
    expect(parseConversionTime(a[3] as string)).toBe(sentA);
    expect(b.slice(0, 3)).toEqual(["", sha256("+17375550199"), "Chat lead, website"]);
    expect(parseConversionTime(b[3] as string)).toBe(sentB);
    expect(stdout).not.toMatch(/ruiz|555/i);
  });

  it.each([
    ["no arguments", ["export"]],
    ["a kind it does not know", ["export", "--since", "2026-11-01", "--kind", "pdf"]],
    ["a date that does not exist", ["export", "--since", "2026-02-30", "--kind", "clicks"]],
    ["a date in another shape", ["export", "--since", "11/01/2026", "--kind", "clicks"]],
    ["an unknown option", ["export", "--since", "2026-11-01", "--kind", "clicks", "--format", "xlsx"]],
    ["a stray argument", ["export", "extra", "--since", "2026-11-01", "--kind", "clicks"]],
  ])("exits 2 with one line for %s", async (_label, args) => {
    const { code, stdout, stderr } = await cli(args, env);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^lead-handoff: /);
  });
});
