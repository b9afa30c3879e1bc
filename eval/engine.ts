import { createHash } from "node:crypto";
import type { BusinessProfile } from "../src/core/business-profile.js";
import { buildTranscript } from "../src/core/chat/transcript.js";
import type { LeadSummary } from "../src/core/lead-summary.js";
import type { Assistant } from "../src/ports/assistant.js";
import type { Summarizer } from "../src/ports/summarizer.js";
import { answersTopic, asksIn, fold, languageOf, promisesIn, questionsOf, shopContact } from "./detectors.js";
import type { AnyOf, AskKind, Conversation, ExpectedSummary, ReplyTopic } from "./schema.js";

/** What a run is played against: any Assistant and Summarizer, and the profile they were built from. */
export interface EvalTarget {
  assistant: Assistant;
  summarizer: Summarizer;
  profile: BusinessProfile;
}

/** One expected summary field, compared. */
export interface FieldResult {
  field: string;
  ok: boolean;
  expected: unknown;
  actual: unknown;
}

/** One check on one reply (turn is 1-based). */
export interface ReplyCheck {
  turn: number;
  check: string;
  ok: boolean;
}

/** A neutral thread item, as buildTranscript() reads it. */
export interface EvalItem {
  role: "user" | "assistant";
  text: string;
  attachments?: Array<{ id: string; name: string; mime_type: string; type: "image"; preview_url: string }>;
}

/** Everything measured on one conversation. */
export interface ConversationReport {
  id: string;
  description: string;
  classes: string[];
  language: "en" | "es";
  items: EvalItem[];
  replies: string[];
  summary: LeadSummary | null;
  /** The assistant or summarizer threw. */
  error: string | null;
  fields: FieldResult[];
  checks: ReplyCheck[];
  falseReady: boolean;
  spamPassed: boolean;
  /** Phone or email in the summary that is not the expected (the customer's) one. */
  wrongContact: string[];
  /** The summary gave the shop's own phone or email as the customer's. */
  shopContact: boolean;
  /** Question sentences asked again in the same words ("turn N: question"). */
  repeatedQuestions: string[];
  /** Facts asked for in more than two replies. */
  overAsked: Array<{ kind: AskKind; times: number }>;
  /** Facts asked for after the customer declined to give them ("turn N: kind"). */
  askedAfterRefusal: string[];
  /** Off-script questions (expected reply topics) and how many replies answered them. */
  offScript: { asked: number; answered: number };
  /** Turns scripted as answers (`after`) and how many followed a reply that asked for that fact. */
  afterAsked: { total: number; asked: number };
  /** Replies and how many were in the conversation's language (a reply it cannot tell counts as kept). */
  languageKept: { replies: number; kept: number };
  /** Price figures, bookings or turnaround times the assistant stated ("turn N: ..."). */
  promises: string[];
  /** Every failed expectation, one line each; empty when the conversation passes. */
  failures: string[];
}

/** Totals over a run. */
export interface EvalTotals {
  conversations: number;
  passed: number;
  errors: number;
  /** Per expected field: how many conversations got it right of how many expected it. */
  fields: Record<string, { ok: number; total: number }>;
  fieldsOk: number;
  fieldsTotal: number;
  falseReady: number;
  spamPassed: number;
  spamTotal: number;
  wrongContact: number;
  shopContact: number;
  repeatedQuestions: number;
  overAsked: number;
  askedAfterRefusal: number;
  offScriptAsked: number;
  offScriptAnswered: number;
  replyChecks: number;
  replyChecksOk: number;
  afterTotal: number;
  afterAsked: number;
  replies: number;
  languageKept: number;
  promises: number;
}

export interface EvalReport {
  assistant: string;
  summarizer: string;
  conversations: ConversationReport[];
  totals: EvalTotals;
}

/** A stable fake upload for photo `k` of turn `turn`, shaped like our own attachment store's. */
function photoAttachment(id: string, turn: number, k: number) {
  const hex = createHash("sha256").update(`${id}:${turn}:${k}`).digest("hex");
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return {
    id: `att_${hex.slice(0, 16)}`,
    name: `photo-${turn}-${k + 1}.jpg`,
    mime_type: "image/jpeg",
    type: "image" as const,
    preview_url: `http://localhost:8787/api/attachments?id=chatkit-attachments/${uuid}.jpg`,
  };
}

async function replyText(
  assistant: Assistant,
  threadId: string,
  items: readonly EvalItem[],
): Promise<string> {
  let text = "";
  for await (const delta of assistant.reply({ threadId, transcript: buildTranscript(items) })) text += delta;
  return text.trim();
}

// --- Field comparison -------------------------------------------------------------------------

const list = (value: AnyOf): string[] => (Array.isArray(value) ? value : [value]);
const includesAny = (actual: unknown, value: AnyOf) =>
  typeof actual === "string" && list(value).some((v) => fold(actual).includes(fold(v)));
const emptyish = (value: unknown) => value === null || value === undefined || value === "";

const MAKE_ALIASES: Record<string, string> = {
  chevy: "chevrolet",
  harley: "harleydavidson",
  mercedes: "mercedesbenz",
  benz: "mercedesbenz",
  vw: "volkswagen",
  caddy: "cadillac",
};
const alnum = (s: string) => fold(s).replace(/[^a-z0-9]/g, "");
const normMake = (s: string) => MAKE_ALIASES[alnum(s)] ?? alnum(s);

function compareFields(expected: ExpectedSummary, summary: LeadSummary): FieldResult[] {
  const out: FieldResult[] = [];
  const add = (field: string, ok: boolean, exp: unknown, actual: unknown) =>
    out.push({ field, ok, expected: exp, actual });
  const anyOfExact = (field: string, exp: AnyOf | null | undefined, actual: unknown, norm = fold) => {
    if (exp === undefined) return;
    if (exp === null) add(field, emptyish(actual), null, actual ?? null);
    else
      add(field, typeof actual === "string" && list(exp).some((v) => norm(v) === norm(actual)), exp, actual);
  };
  const includes = (field: string, exp: AnyOf | null | undefined, actual: unknown) => {
    if (exp === undefined) return;
    if (exp === null) add(field, emptyish(actual), null, actual ?? null);
    else add(field, includesAny(actual, exp), exp, actual ?? null);
  };

  add(
    "handoff_ready",
    summary.handoff_ready === expected.handoff_ready,
    expected.handoff_ready,
    summary.handoff_ready,
  );
  if (expected.spam !== undefined) {
    const flagged = summary.missing.includes("spam") && !summary.handoff_ready;
    add("spam", expected.spam ? flagged : !summary.missing.includes("spam"), expected.spam, summary.missing);
  }
  anyOfExact("customer_name", expected.customer_name, summary.customer_name);
  if (expected.phone !== undefined)
    add("phone", summary.phone === expected.phone, expected.phone, summary.phone);
  if (expected.email !== undefined)
    add("email", (summary.email?.toLowerCase() ?? null) === expected.email, expected.email, summary.email);
  for (const key of ["preferred_contact", "item_type", "photo_count"] as const) {
    if (expected[key] !== undefined) add(key, summary[key] === expected[key], expected[key], summary[key]);
  }
  if (expected.service_category !== undefined) {
    const exp = expected.service_category;
    const ok =
      exp === null
        ? summary.service_category === null
        : (Array.isArray(exp) ? exp : [exp]).some((c) => c === summary.service_category);
    add("service_category", ok, exp, summary.service_category);
  }
  if (expected.vehicle !== undefined) {
    const v = summary.vehicle;
    if (expected.vehicle === null) {
      add("vehicle", !v || (v.year === null && !v.make && !v.model), null, v);
    } else {
      const ev = expected.vehicle;
      if (ev.year !== undefined) add("vehicle.year", (v?.year ?? null) === ev.year, ev.year, v?.year ?? null);
      anyOfExact("vehicle.make", ev.make, v?.make ?? null, normMake);
      anyOfExact("vehicle.model", ev.model, v?.model ?? null, alnum);
    }
  }
  includes("timeline", expected.timeline_includes, summary.timeline);
  includes("budget", expected.budget, summary.budget);
  includes("location", expected.location_includes, summary.location);
  if (expected.service_details_includes) {
    const missing = expected.service_details_includes.filter((e) => !includesAny(summary.service_details, e));
    add("service_details", missing.length === 0, expected.service_details_includes, summary.service_details);
  }
  if (expected.summary_includes) {
    const missing = expected.summary_includes.filter((e) => !includesAny(summary.summary, e));
    add("summary", missing.length === 0, expected.summary_includes, summary.summary);
  }
  // contact_time is a newer LeadSummary field; read it loosely so this compiles either way.
  includes("contact_time", expected.contact_time_includes, (summary as Record<string, unknown>).contact_time);
  return out;
}

// --- Playing one conversation -----------------------------------------------------------------

/** "after: year" is satisfied by a reply that asked the year; "vehicle" by any vehicle question. */
const SATISFIES: Record<AskKind, AskKind[]> = {
  job: ["job"],
  vehicle: ["vehicle", "year", "make_model"],
  year: ["year"],
  make_model: ["make_model", "vehicle"],
  photos: ["photos"],
  name: ["name"],
  contact: ["contact"],
  timeline: ["timeline"],
};

const show = (value: unknown) => JSON.stringify(value);

/** Plays one conversation against the target and measures it. */
export async function runConversation(
  conversation: Conversation,
  target: EvalTarget,
): Promise<ConversationReport> {
  const { profile } = target;
  const items: EvalItem[] = [];
  const replies: string[] = [];
  const checks: ReplyCheck[] = [];
  const failures: string[] = [];
  let error: string | null = null;
  const threadId = `eval_${conversation.id}`;

  for (const [index, turn] of conversation.turns.entries()) {
    const attachments = Array.from({ length: turn.photos ?? 0 }, (_, k) =>
      photoAttachment(conversation.id, index + 1, k),
    );
    items.push({ role: "user", text: turn.customer, ...(attachments.length > 0 ? { attachments } : {}) });
    try {
      const reply = await replyText(target.assistant, threadId, items);
      items.push({ role: "assistant", text: reply });
      replies.push(reply);
    } catch (caught) {
      error = `assistant failed on turn ${index + 1}: ${caught instanceof Error ? caught.message : String(caught)}`;
      break;
    }
  }

  let summary: LeadSummary | null = null;
  if (!error) {
    try {
      summary = await target.summarizer.summarize(buildTranscript(items));
    } catch (caught) {
      error = `summarizer failed: ${caught instanceof Error ? caught.message : String(caught)}`;
    }
  }
  if (error) failures.push(error);

  // Reply checks.
  const asked = new Set<string>();
  const repeatedQuestions: string[] = [];
  const askCounts = new Map<AskKind, number>();
  const refused = new Set<AskKind>();
  const askedAfterRefusal: string[] = [];
  const promises: string[] = [];
  const offScript = { asked: 0, answered: 0 };
  const afterAsked = { total: 0, asked: 0 };
  const languageKept = { replies: 0, kept: 0 };

  for (const [index, reply] of replies.entries()) {
    const turn = conversation.turns[index];
    if (!turn) continue;
    const n = index + 1;
    const asks = asksIn(reply);
    for (const kind of turn.refuses ?? []) refused.add(kind);

    for (const question of questionsOf(reply)) {
      if (asked.has(question)) repeatedQuestions.push(`turn ${n}: ${question}`);
    }
    for (const question of questionsOf(reply)) asked.add(question);
    for (const kind of asks) {
      askCounts.set(kind, (askCounts.get(kind) ?? 0) + 1);
      if (refused.has(kind)) askedAfterRefusal.push(`turn ${n}: ${kind}`);
    }

    const topics: ReplyTopic[] = [...(turn.expect?.answers ?? [])];
    if (turn.expect?.says_no_appointment && !topics.includes("no_appointment")) topics.push("no_appointment");
    for (const topic of topics) {
      const ok = answersTopic(topic, reply, { profile, customerText: turn.customer });
      offScript.asked += 1;
      if (ok) offScript.answered += 1;
      checks.push({ turn: n, check: `answers ${topic}`, ok });
    }
    for (const kind of turn.expect?.asks ?? []) {
      checks.push({ turn: n, check: `asks ${kind}`, ok: asks.has(kind) });
    }
    for (const kind of turn.expect?.no_ask ?? []) {
      checks.push({ turn: n, check: `does not ask ${kind}`, ok: !asks.has(kind) });
    }

    if (turn.after) {
      afterAsked.total += 1;
      const previous = index > 0 ? asksIn(replies[index - 1] ?? "") : new Set<AskKind>();
      if (SATISFIES[turn.after].some((kind) => previous.has(kind))) afterAsked.asked += 1;
    }

    const lang = languageOf(reply, profile);
    languageKept.replies += 1;
    if (lang === null || lang === conversation.language) languageKept.kept += 1;
    else failures.push(`turn ${n}: reply not in ${conversation.language}: ${show(reply)}`);

    for (const promise of promisesIn(reply, profile)) promises.push(`turn ${n}: ${promise}`);
  }

  const overAsked = [...askCounts.entries()]
    .filter(([, times]) => times > 2)
    .map(([kind, times]) => ({ kind, times }));

  const fields = summary ? compareFields(conversation.expected, summary) : [];
  const expected = conversation.expected;
  const falseReady = Boolean(summary?.handoff_ready) && !expected.handoff_ready;
  const spamPassed =
    expected.spam === true && (!summary || summary.handoff_ready || !summary.missing.includes("spam"));
  const shop = shopContact(profile);
  const wrongContact: string[] = [];
  let shopContactUsed = false;
  if (summary) {
    // Measured where the conversation states the customer's contact (spam leaves it open).
    if (expected.phone !== undefined && summary.phone && summary.phone !== expected.phone)
      wrongContact.push(`phone ${summary.phone}`);
    const email = summary.email?.toLowerCase() ?? null;
    if (expected.email !== undefined && email && email !== expected.email)
      wrongContact.push(`email ${email}`);
    shopContactUsed =
      (shop.phone !== null && summary.phone === shop.phone) || (shop.email !== null && email === shop.email);
  }

  for (const field of fields) {
    if (!field.ok)
      failures.push(`${field.field}: expected ${show(field.expected)}, got ${show(field.actual)}`);
  }
  for (const check of checks) {
    if (!check.ok) failures.push(`turn ${check.turn}: ${check.check}: ${show(replies[check.turn - 1])}`);
  }
  if (falseReady) failures.push("false ready");
  if (spamPassed) failures.push("spam passed");
  for (const wrong of wrongContact) failures.push(`not the customer's contact: ${wrong}`);
  if (shopContactUsed) failures.push("the shop's own contact taken as the customer's");
  for (const repeat of repeatedQuestions) failures.push(`repeated question, ${repeat}`);
  for (const { kind, times } of overAsked) failures.push(`asked for ${kind} ${times} times`);
  for (const after of askedAfterRefusal) failures.push(`asked after refusal, ${after}`);
  for (const promise of promises) failures.push(`promise, ${promise}`);

  return {
    id: conversation.id,
    description: conversation.description,
    classes: conversation.class,
    language: conversation.language,
    items,
    replies,
    summary,
    error,
    fields,
    checks,
    falseReady,
    spamPassed,
    wrongContact,
    shopContact: shopContactUsed,
    repeatedQuestions,
    overAsked,
    askedAfterRefusal,
    offScript,
    afterAsked,
    languageKept,
    promises,
    failures,
  };
}

/** Adds up the per-conversation reports. */
export function totalsOf(reports: readonly ConversationReport[]): EvalTotals {
  const totals: EvalTotals = {
    conversations: reports.length,
    passed: 0,
    errors: 0,
    fields: {},
    fieldsOk: 0,
    fieldsTotal: 0,
    falseReady: 0,
    spamPassed: 0,
    spamTotal: 0,
    wrongContact: 0,
    shopContact: 0,
    repeatedQuestions: 0,
    overAsked: 0,
    askedAfterRefusal: 0,
    offScriptAsked: 0,
    offScriptAnswered: 0,
    replyChecks: 0,
    replyChecksOk: 0,
    afterTotal: 0,
    afterAsked: 0,
    replies: 0,
    languageKept: 0,
    promises: 0,
  };
  for (const r of reports) {
    if (r.failures.length === 0) totals.passed += 1;
    if (r.error) totals.errors += 1;
    for (const field of r.fields) {
      const entry = totals.fields[field.field] ?? { ok: 0, total: 0 };
      entry.total += 1;
      if (field.ok) entry.ok += 1;
      totals.fields[field.field] = entry;
      totals.fieldsTotal += 1;
      if (field.ok) totals.fieldsOk += 1;
    }
    if (r.falseReady) totals.falseReady += 1;
    if (r.fields.some((f) => f.field === "spam" && f.expected === true)) totals.spamTotal += 1;
    if (r.spamPassed) totals.spamPassed += 1;
    if (r.wrongContact.length > 0) totals.wrongContact += 1;
    if (r.shopContact) totals.shopContact += 1;
    totals.repeatedQuestions += r.repeatedQuestions.length;
    totals.overAsked += r.overAsked.length;
    totals.askedAfterRefusal += r.askedAfterRefusal.length;
    totals.offScriptAsked += r.offScript.asked;
    totals.offScriptAnswered += r.offScript.answered;
    totals.replyChecks += r.checks.length;
    totals.replyChecksOk += r.checks.filter((c) => c.ok).length;
    totals.afterTotal += r.afterAsked.total;
    totals.afterAsked += r.afterAsked.asked;
    totals.replies += r.languageKept.replies;
    totals.languageKept += r.languageKept.kept;
    totals.promises += r.promises.length;
  }
  return totals;
}

/** Plays every conversation (one after another) and adds up the results. */
export async function runEval(
  conversations: readonly Conversation[],
  target: EvalTarget,
): Promise<EvalReport> {
  const reports: ConversationReport[] = [];
  for (const conversation of conversations) reports.push(await runConversation(conversation, target));
  return {
    assistant: target.assistant.name,
    summarizer: target.summarizer.name,
    conversations: reports,
    totals: totalsOf(reports),
  };
}
