import type { LeadEmailView } from "./types.js";

/** Indents continuation lines so a multi-line value stays visibly attached to its label. */
function indent(value: string, prefix: string): string {
  return value.replace(/\n/g, `\n${prefix}`);
}

function heading(title: string): string {
  return `\n${title.toUpperCase()}\n${"-".repeat(title.length)}`;
}

/** The plain-text part: the same information as the HTML, for clients (and people) that prefer it. */
export function renderLeadText(view: LeadEmailView): string {
  const lines: string[] = [view.subject, "", view.summary || "(no summary)"];

  const actions: string[] = [];
  if (view.smsLinkUrl)
    actions.push(`${view.firstName ? `Text ${view.firstName}` : "Text the customer"}: ${view.smsLinkUrl}`);
  if (view.phone) actions.push(`Call: ${view.phone.display} (tel:${view.phone.tel})`);
  if (view.email) actions.push(`Email: mailto:${view.email}`);
  if (actions.length) lines.push("", ...actions);

  lines.push(heading("Lead"));
  const width = Math.max(...view.fields.map((f) => f.label.length)) + 2;
  for (const field of view.fields) {
    const value = field.value ?? (field.missing ? "MISSING" : "-");
    lines.push(`${`${field.label}:`.padEnd(width)}${indent(value, " ".repeat(width))}`);
  }
  if (view.missing.length) lines.push("", `Still to ask: ${view.missing.join(", ")}`);

  if (view.photos.length) {
    lines.push(heading(`Photos (${view.photos.length})`), "Shown inline in the HTML version:");
    for (const photo of view.photos) lines.push(`- ${photo.filename}`);
  }

  lines.push(heading("Conversation"));
  if (view.turns.length === 0) lines.push("(empty)");
  for (const turn of view.turns) {
    const who = turn.role === "customer" ? "Customer" : "Assistant";
    // A quote the customer replied to comes first, marked as a quote, never as their words.
    if (turn.quoted) lines.push(`${who}: > ${turn.quoted}`);
    if (turn.text) lines.push(`${turn.quoted ? "  " : `${who}: `}${indent(turn.text, "  ")}`);
    for (const a of turn.attachments) lines.push(`${turn.text ? "  " : `${who}: `}[attachment: ${a.name}]`);
  }

  if (view.attachments.length) {
    lines.push(heading("Attachments"));
    for (const a of view.attachments) {
      const notes = [a.mimeType, a.inline ? "shown inline" : null, a.note].filter(Boolean).join(", ");
      lines.push(`- ${a.name} (${notes})${a.url ? `\n  ${a.url}` : ""}`);
    }
  }

  lines.push(heading("Diagnostics"));
  for (const [key, value] of view.diagnostics) lines.push(`${key}: ${value}`);
  return `${lines.join("\n")}\n`;
}
