import { formatConversionTime, startOfDayInZone } from "../ads-export/time.js";
import { escapeHtml } from "../html.js";
import { type LeadOutcome, OUTCOME_LABELS } from "../lead-outcome.js";
import type { ConsoleState } from "./lead-status.js";

const DAY_MS = 86_400_000;
/** The digest goes out at this hour on Monday, on the shop's clocks. */
export const DIGEST_HOUR = 8;

/** The week a digest reports on: the seven days before this week's Monday, shop time. */
export interface DigestWeek {
  /** The reported week's Monday, `YYYY-MM-DD` (also names the digest: one per label). */
  label: string;
  /** Epoch ms: that Monday's midnight, shop time (inclusive). */
  from: number;
  /** Epoch ms: the next Monday's midnight, shop time (exclusive). */
  to: number;
  /** Epoch ms: when the digest is due (the next Monday at {@link DIGEST_HOUR}). */
  dueAt: number;
  /**
   * Epoch ms: past this (two days after `dueAt`), a digest not sent yet is skipped: a server down
   * all Monday still sends it on Tuesday, but one started on a Friday does not send last week's.
   */
  lateAt: number;
}

const shiftDate = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * The week the digest sent at `now` covers: on any day, the last full Monday-to-Sunday week before
 * the current one. Days are the shop's (`timeZone`), so a DST change inside the week is counted
 * right; the due hour is an hour off only in a zone that changes its clocks on a Monday morning.
 */
export function digestWeek(now: number, timeZone: string): DigestWeek {
  const today = formatConversionTime(now, timeZone).slice(0, 10);
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  const thisMonday = shiftDate(today, -((weekday + 6) % 7));
  const lastMonday = shiftDate(thisMonday, -7);
  const to = startOfDayInZone(thisMonday, timeZone) as number;
  const dueAt = to + DIGEST_HOUR * 3_600_000;
  return {
    label: lastMonday,
    from: startOfDayInZone(lastMonday, timeZone) as number,
    to,
    dueAt,
    lateAt: dueAt + 2 * DAY_MS,
  };
}

/** One conversation of the week, as the digest reads it (the console's row, in short). */
export interface DigestLead {
  threadId: string;
  customerName: string | null;
  state: ConsoleState;
  why: string | null;
  /** Whether the customer left a phone or email. */
  hasContact: boolean;
  source: string | null;
  /** When the lead email went out (epoch ms), or null. */
  sentAt: number | null;
  /** From the customer's last message to the email, in ms, for sent leads. */
  waitedMs: number | null;
}

/** One outcome the owner recorded during the week (the newest per conversation). */
export interface DigestOutcome {
  outcome: LeadOutcome;
  value: string | null;
  currency: string | null;
}

/** What one digest says. */
export interface DigestFacts {
  week: DigestWeek;
  shopName: string;
  timeZone: string;
  leads: DigestLead[];
  outcomes: DigestOutcome[];
  /** The console's address, for the links (PUBLIC_BASE_URL + /owner). */
  consoleUrl: string;
  /** Conversations read were capped: the counts are "at least". */
  truncated: boolean;
}

/** The digest as text and HTML, with its subject (header-safe: built from our own words and dates). */
export interface DigestContent {
  subject: string;
  text: string;
  html: string;
}

/** A conversation the owner should look at: failed or erroring sends, and not-ready leads with contact. */
export function needsAttention(lead: DigestLead): boolean {
  return lead.state === "failed" || lead.state === "error" || (lead.state === "not_ready" && lead.hasContact);
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** "4 min", "1 h 5 min", "under a minute". */
export function formatWait(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return "under a minute";
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
}

/** Won values summed per currency, in cents (no float sums): "1,900.00 USD". */
function wonTotals(outcomes: DigestOutcome[]): string[] {
  const cents = new Map<string, bigint>();
  for (const o of outcomes) {
    if (o.outcome !== "won" || !o.value) continue;
    const [whole = "0", frac = ""] = o.value.split(".");
    const amount = BigInt(whole) * 100n + BigInt(frac.padEnd(2, "0").slice(0, 2) || "0");
    const currency = o.currency ?? "";
    cents.set(currency, (cents.get(currency) ?? 0n) + amount);
  }
  return [...cents].map(([currency, total]) => {
    const whole = (total / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return `${whole}.${(total % 100n).toString().padStart(2, "0")}${currency ? ` ${currency}` : ""}`;
  });
}

/** The week's digest: counts, speed, outcomes, sources, and what needs attention. */
export function composeDigest(facts: DigestFacts): DigestContent {
  const { leads, week } = facts;
  const sent = leads.filter((l) => l.sentAt !== null && l.sentAt >= week.from && l.sentAt < week.to);
  const wait = median(sent.flatMap((l) => (l.waitedMs === null ? [] : [l.waitedMs])));
  const outcomeCounts = new Map<LeadOutcome, number>();
  for (const o of facts.outcomes) outcomeCounts.set(o.outcome, (outcomeCounts.get(o.outcome) ?? 0) + 1);
  const sources = new Map<string, number>();
  for (const l of leads)
    sources.set(l.source ?? "direct or unknown", (sources.get(l.source ?? "direct or unknown") ?? 0) + 1);
  const topSources = [...sources].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3);
  const attention = leads.filter(needsAttention).slice(0, 10);
  const weekEnd = shiftDate(week.label, 6);
  const atLeast = facts.truncated ? "at least " : "";

  const lines: [string, string][] = [
    ["Conversations", `${atLeast}${leads.length}`],
    ["Lead emails sent", `${atLeast}${sent.length}`],
    ["Sent after the customer went quiet", wait === null ? "no lead sent" : `${formatWait(wait)} (median)`],
    [
      "Outcomes recorded",
      outcomeCounts.size
        ? [...outcomeCounts].map(([o, n]) => `${OUTCOME_LABELS[o]} ${n}`).join(", ")
        : "none",
    ],
    ["Won", wonTotals(facts.outcomes).join(" + ") || "nothing recorded"],
    ["Top sources", topSources.map(([s, n]) => `${s} (${n})`).join(", ") || "none"],
  ];
  const link = (l: DigestLead) => `${facts.consoleUrl}/conversations/${encodeURIComponent(l.threadId)}`;
  const attentionLine = (l: DigestLead) =>
    `${l.customerName ?? "No name"}: ${l.state.replace(/_/g, " ")}${l.why ? ` (${l.why})` : ""}`;

  const subject = `Weekly leads: ${week.label} to ${weekEnd}, ${atLeast}${leads.length} conversation${leads.length === 1 ? "" : "s"}, ${atLeast}${sent.length} sent`;
  const text = [
    `${facts.shopName}: the week of ${week.label} to ${weekEnd} (${facts.timeZone})`,
    "",
    ...lines.map(([k, v]) => `${k}: ${v}`),
    "",
    attention.length ? "Needs attention:" : "Nothing needs attention.",
    ...attention.map((l) => `- ${attentionLine(l)}\n  ${link(l)}`),
    "",
    `All conversations: ${facts.consoleUrl}`,
    "",
  ].join("\n");
  const h = escapeHtml;
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${h(subject)}</title></head>
<body style="font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#111827;margin:0;padding:16px;">
<h1 style="font-size:20px;margin:0 0 4px 0;">${h(facts.shopName)}: weekly leads</h1>
<p style="margin:0 0 16px 0;color:#4b5563;">${h(week.label)} to ${h(weekEnd)} (${h(facts.timeZone)})</p>
<table style="border-collapse:collapse;">${lines
    .map(
      ([k, v]) =>
        `<tr><th style="text-align:left;padding:4px 12px 4px 0;color:#4b5563;font-weight:normal;">${h(k)}</th><td style="padding:4px 0;">${h(v)}</td></tr>`,
    )
    .join("")}</table>
<h2 style="font-size:16px;margin:20px 0 8px 0;">${attention.length ? "Needs attention" : "Nothing needs attention"}</h2>
${attention.length ? `<ul>${attention.map((l) => `<li><a href="${h(link(l))}">${h(attentionLine(l))}</a></li>`).join("")}</ul>` : ""}
<p><a href="${h(facts.consoleUrl)}">Open the lead console</a></p>
</body></html>`;
  return { subject, text, html };
}
