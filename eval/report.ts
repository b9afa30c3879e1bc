import type { ConversationReport, EvalReport } from "./engine.js";

const pct = (ok: number, total: number) =>
  total === 0 ? "   -  " : `${((100 * ok) / total).toFixed(1).padStart(5)}%`;

/** The compact table `npm run eval` prints. */
export function formatTotals(report: EvalReport): string {
  const t = report.totals;
  const lines: string[] = [];
  lines.push(
    `assistant ${report.assistant}, summarizer ${report.summarizer}: ${t.conversations} conversations`,
  );
  lines.push("");
  lines.push("field                 accuracy   ok/total");
  for (const [field, { ok, total }] of Object.entries(t.fields).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${field.padEnd(20)} ${pct(ok, total)}   ${ok}/${total}`);
  }
  lines.push(
    `  ${"ALL FIELDS".padEnd(20)} ${pct(t.fieldsOk, t.fieldsTotal)}   ${t.fieldsOk}/${t.fieldsTotal}`,
  );
  lines.push("");
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(34)} ${value}`);
  row("conversations passing", `${t.passed}/${t.conversations}`);
  row("false ready", String(t.falseReady));
  row("spam passed", `${t.spamPassed}/${t.spamTotal}`);
  row("wrong contact (not the customer's)", String(t.wrongContact));
  row("  of which the shop's own", String(t.shopContact));
  row("repeated questions (same words)", String(t.repeatedQuestions));
  row("over-asked (same fact > 2 times)", String(t.overAsked));
  row("asked after refusal", String(t.askedAfterRefusal));
  row(
    "off-script questions answered",
    `${t.offScriptAnswered}/${t.offScriptAsked} ${pct(t.offScriptAnswered, t.offScriptAsked)}`,
  );
  row("reply checks passed", `${t.replyChecksOk}/${t.replyChecks}`);
  row("replies in the customer's language", `${t.languageKept}/${t.replies}`);
  row("promises (price/booking/turnaround)", String(t.promises));
  row("scripted answers after the question", `${t.afterAsked}/${t.afterTotal} (info)`);
  if (t.errors > 0) row("errors", String(t.errors));
  return lines.join("\n");
}

/** One line per failing conversation. */
export function formatFailingList(report: EvalReport): string {
  const failing = report.conversations.filter((c) => c.failures.length > 0);
  if (failing.length === 0) return "all conversations pass";
  return [
    `failing (${failing.length}):`,
    ...failing.map(
      (c) => `  ${c.id.padEnd(40)} ${c.failures.length} problem${c.failures.length === 1 ? "" : "s"}`,
    ),
  ].join("\n");
}

/** A conversation in full: transcript, summary and every failure. */
export function formatConversation(c: ConversationReport): string {
  const lines = [`=== ${c.id} [${c.classes.join(", ")}; ${c.language}] ${c.description}`];
  for (const item of c.items) {
    const photos = item.attachments?.length ? ` [${item.attachments.length} photo(s)]` : "";
    lines.push(`  ${item.role === "user" ? "Customer " : "Assistant"}: ${item.text}${photos}`);
  }
  if (c.summary) lines.push(`  summary: ${JSON.stringify(c.summary)}`);
  for (const failure of c.failures) lines.push(`  ✗ ${failure}`);
  if (c.afterAsked.total > c.afterAsked.asked) {
    lines.push(
      `  (info) ${c.afterAsked.total - c.afterAsked.asked} scripted answer(s) not preceded by the question`,
    );
  }
  return lines.join("\n");
}
