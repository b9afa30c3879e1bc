import { escapeHtml } from "../html.js";
import { truncate } from "./lead-view.js";
import type { LeadEmailView, LeadField } from "./types.js";

// Email clients ignore <style> blocks and external CSS unevenly: tables and inline styles only.
const FONT = "font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;";
const MUTED = "color:#6b7280;";
const CELL = `${FONT}font-size:14px;line-height:20px;padding:6px 0;vertical-align:top;`;

/** Escaped text with line breaks kept. */
function paragraphs(value: string): string {
  return escapeHtml(value).replace(/\n/g, "<br>");
}

function link(href: string, text: string, style = "color:#1d4ed8;"): string {
  return `<a href="${escapeHtml(href)}" style="${style}">${escapeHtml(text)}</a>`;
}

function button(href: string, text: string, background: string): string {
  const style = `${FONT}display:inline-block;background:${background};color:#ffffff;font-size:16px;font-weight:bold;text-decoration:none;padding:12px 22px;border-radius:6px;margin:0 8px 8px 0;`;
  return link(href, text, style);
}

function section(title: string, body: string): string {
  return `<tr><td style="padding:20px 24px 0 24px;">
<div style="${FONT}font-size:12px;font-weight:bold;letter-spacing:0.06em;text-transform:uppercase;${MUTED}padding-bottom:6px;">${escapeHtml(title)}</div>
${body}
</td></tr>`;
}

function fieldRow(field: LeadField): string {
  let value: string;
  if (field.value === null) {
    value = field.missing
      ? `<span style="color:#b45309;font-weight:bold;background:#fef3c7;padding:1px 6px;border-radius:4px;">missing</span>`
      : `<span style="${MUTED}">&mdash;</span>`;
  } else {
    value = field.href ? link(field.href, field.value) : paragraphs(field.value);
  }
  return `<tr><td style="${CELL}${MUTED}width:130px;padding-right:12px;">${escapeHtml(field.label)}</td><td style="${CELL}color:#111827;">${value}</td></tr>`;
}

function summaryCard(view: LeadEmailView): string {
  const rows = view.fields.map(fieldRow).join("\n");
  const missing = view.missing.length
    ? `<p style="${FONT}font-size:14px;color:#b45309;margin:8px 0 0 0;">Still to ask: ${escapeHtml(view.missing.join(", "))}</p>`
    : "";
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">${rows}</table>${missing}`;
}

function actions(view: LeadEmailView): string {
  const buttons: string[] = [];
  if (view.smsLinkUrl) {
    buttons.push(
      button(view.smsLinkUrl, view.firstName ? `Text ${view.firstName}` : "Text the customer", "#16a34a"),
    );
  }
  if (view.phone) buttons.push(button(`tel:${view.phone.tel}`, `Call ${view.phone.display}`, "#1d4ed8"));
  if (view.email) buttons.push(button(`mailto:${view.email}`, "Email", "#4b5563"));
  return buttons.length ? `<tr><td style="padding:16px 24px 0 24px;">${buttons.join("")}</td></tr>` : "";
}

function photos(view: LeadEmailView): string {
  if (view.photos.length === 0) return "";
  // width="560" keeps Outlook (which ignores max-width) inside the 600px column.
  const images = view.photos
    .map(
      (p) =>
        `<img src="cid:${escapeHtml(p.cid)}" alt="${escapeHtml(p.alt)}" width="560" style="display:block;width:100%;max-width:560px;height:auto;border:0;border-radius:6px;margin:0 0 12px 0;">`,
    )
    .join("\n");
  return section(`Photos (${view.photos.length})`, images);
}

function transcript(view: LeadEmailView): string {
  const rows = view.turns.map((turn) => {
    const customer = turn.role === "customer";
    const who = customer ? "Customer" : "Assistant";
    const files = turn.attachments
      .map((a) => `<div style="${MUTED}font-size:13px;">Attachment: ${escapeHtml(a.name)}</div>`)
      .join("");
    const quote = turn.quoted
      ? `<div style="${MUTED}font-size:13px;border-left:3px solid #d1d5db;padding-left:8px;margin:2px 0 4px 0;">${escapeHtml(turn.quoted)}</div>`
      : "";
    const background = customer ? "#eff6ff" : "#f9fafb";
    return `<tr><td style="${CELL}background:${background};padding:8px 10px;border-bottom:4px solid #ffffff;"><strong style="color:${customer ? "#1d4ed8" : "#374151"};">${who}:</strong> ${quote}${paragraphs(turn.text)}${files}</td></tr>`;
  });
  const body = rows.length
    ? `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">${rows.join("\n")}</table>`
    : `<p style="${FONT}${MUTED}font-size:14px;">(empty)</p>`;
  return section("Conversation", body);
}

function attachmentList(view: LeadEmailView): string {
  if (view.attachments.length === 0) return "";
  const items = view.attachments.map((a) => {
    const name = a.url ? link(a.url, a.name) : escapeHtml(a.name);
    const notes = [a.mimeType, a.inline ? "shown above" : null, a.note].filter(Boolean).join(" · ");
    return `<li style="${FONT}font-size:14px;margin:0 0 4px 0;">${name} <span style="${MUTED}">(${escapeHtml(notes)})</span></li>`;
  });
  return section("Attachments", `<ul style="margin:0;padding:0 0 0 18px;">${items.join("\n")}</ul>`);
}

function diagnostics(view: LeadEmailView): string {
  const rows = view.diagnostics
    .map(
      ([key, value]) =>
        `<tr><td style="${FONT}font-size:11px;${MUTED}padding:1px 10px 1px 0;">${escapeHtml(key)}</td><td style="${FONT}font-size:11px;${MUTED}padding:1px 0;">${escapeHtml(value)}</td></tr>`,
    )
    .join("\n");
  return `<tr><td style="padding:24px 24px 20px 24px;border-top:1px solid #e5e7eb;"><table role="presentation" cellpadding="0" cellspacing="0" border="0">${rows}</table></td></tr>`;
}

/** The owner's HTML email: one 600px column of tables with inline styles; every input escaped. */
export function renderLeadHtml(view: LeadEmailView): string {
  // Inbox previews show the first text of the body: make that the summary, not the subject again.
  const preheader = escapeHtml(truncate(view.summary.replace(/\s+/g, " "), 140));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(view.subject)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<div style="display:none;max-height:0;overflow:hidden;">${preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;"><tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background:#ffffff;border-radius:8px;">
<tr><td style="padding:20px 24px 0 24px;"><div style="${FONT}font-size:20px;line-height:26px;font-weight:bold;color:#111827;">${escapeHtml(view.subject)}</div></td></tr>
${section("Summary", `<p style="${FONT}font-size:15px;line-height:22px;color:#111827;margin:0;">${paragraphs(view.summary || "(no summary)")}</p>`)}
${actions(view)}
${section("Lead", summaryCard(view))}
${photos(view)}
${transcript(view)}
${attachmentList(view)}
${diagnostics(view)}
</table>
</td></tr></table>
</body></html>
`;
}
