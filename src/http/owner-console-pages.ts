import { CONSOLE_STATES, type ConsoleState, STATE_LABELS } from "../core/console/lead-status.js";
import { escapeHtml } from "../core/html.js";
import { LEAD_OUTCOMES, OUTCOME_LABELS } from "../core/lead-outcome.js";
import type { JournalEntry } from "../ports/lead-journal.js";
import type { ConsolePage, ConsoleRow, ConversationView } from "../services/lead-console.js";
import { page } from "./owner-pages.js";

/** What every console page needs besides its data. */
export interface ConsoleChrome {
  /** Formats epoch ms on the shop's clocks ("Dec 2, 1:05 PM"). */
  formatTime(ms: number): string;
  timeZone: string;
  /** Links in the top bar: the outbox when the embedded mailer runs, the logout with a password. */
  outbox: boolean;
  logout: boolean;
}

/** The list's filters as the owner typed them (dates as YYYY-MM-DD), echoed into the form. */
export interface ConsoleFilters {
  state?: ConsoleState | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
}

const h = escapeHtml;
const conversationPath = (threadId: string) => `/owner/conversations/${encodeURIComponent(threadId)}`;

function topNav(chrome: ConsoleChrome): string {
  const links = [
    `<a href="/owner">Leads</a>`,
    `<a href="/owner/exports">Google Ads exports</a>`,
    chrome.outbox ? `<a href="/outbox">Outbox</a>` : "",
    chrome.logout ? `<a href="/owner/logout">Log out</a>` : "",
  ];
  return `<nav class="top" aria-label="Owner pages">${links.filter(Boolean).join("")}</nav>`;
}

/** The owner's own buttons as the history names them ("Send now by owner → sent"); others as they are. */
const TRIGGER_WORDS: Readonly<Record<string, string>> = {
  owner: "Send now",
  owner_anyway: "Send anyway",
  owner_retry: "Retry now",
};
const triggerText = (trigger: string) => TRIGGER_WORDS[trigger] ?? trigger.replace(/_/g, " ");

function badge(state: ConsoleState): string {
  return `<span class="badge ${state}">${h(STATE_LABELS[state])}</span>`;
}

/** "Sent", "Error · retry at 2:15 PM · connection refused". */
function statusLine(row: ConsoleRow, chrome: ConsoleChrome): string {
  const parts = [badge(row.status.state)];
  if (row.status.retryAt !== null) parts.push(h(`retry at ${chrome.formatTime(row.status.retryAt)}`));
  if (row.status.why) parts.push(h(row.status.why));
  return parts.join(" · ");
}

function outcomeText(row: ConsoleRow, chrome: ConsoleChrome): string {
  const o = row.outcome;
  if (!o) return "";
  const value = o.value ? ` ${o.value} ${o.currency ?? ""}`.trimEnd() : "";
  return `${OUTCOME_LABELS[o.outcome]}${value} (${o.actor}, ${chrome.formatTime(o.at)})`;
}

function sourceText(row: ConsoleRow): string {
  const parts = [
    row.source,
    row.campaign ? `campaign ${row.campaign}` : null,
    row.clickId ? "Google click id" : null,
  ];
  return parts.filter(Boolean).join(" · ");
}

function leadCard(row: ConsoleRow, chrome: ConsoleChrome): string {
  const name = row.customerName ?? "No name given";
  const contact = [row.phone, row.email].filter(Boolean).join(" · ") || "no contact yet";
  const what = [row.item, row.service].filter(Boolean).join(" · ");
  const last = row.triggers.at(-1);
  const lines = [
    `<div class="lead-head"><a href="${h(conversationPath(row.threadId))}">${h(name)}</a><span class="muted">${h(chrome.formatTime(row.lastActivityAt ?? row.createdAt))}</span></div>`,
    `<div>${statusLine(row, chrome)}</div>`,
    `<div>${h(contact)}</div>`,
    what ? `<div>${h(what)}</div>` : "",
    `<div class="muted">${row.photos} photo${row.photos === 1 ? "" : "s"}${sourceText(row) ? ` · ${h(sourceText(row))}` : ""}</div>`,
    last
      ? `<div class="muted">Last trigger: ${h(triggerText(last.trigger))} → ${h(last.leadReason.replace(/_/g, " "))}, ${h(chrome.formatTime(last.at))}</div>`
      : "",
    row.outcome ? `<div>Outcome: ${h(outcomeText(row, chrome))}</div>` : "",
  ];
  return `<li>${lines.filter(Boolean).join("\n")}</li>`;
}

function filterForm(filters: ConsoleFilters): string {
  const options = [`<option value="">Any state</option>`]
    .concat(
      CONSOLE_STATES.map(
        (s) => `<option value="${s}"${filters.state === s ? " selected" : ""}>${h(STATE_LABELS[s])}</option>`,
      ),
    )
    .join("");
  return `<form class="filters" method="get" action="/owner" role="search">
<div><label for="q">Search</label><input id="q" name="q" type="search" value="${h(filters.q ?? "")}" placeholder="Name, phone or email" maxlength="100"></div>
<div><label for="state">State</label><select id="state" name="state">${options}</select></div>
<div><label for="from">From</label><input id="from" name="from" type="date" value="${h(filters.from ?? "")}"></div>
<div><label for="to">To</label><input id="to" name="to" type="date" value="${h(filters.to ?? "")}"></div>
<div><button type="submit">Filter</button></div>
</form>`;
}

function query(filters: ConsoleFilters, after: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  params.set("after", after);
  return `/owner?${params.toString()}`;
}

/** `/owner`: the conversations, newest first, with filters and paging. */
export function consoleListPage(input: {
  page: ConsolePage;
  filters: ConsoleFilters;
  chrome: ConsoleChrome;
  /** This page is not the first (a "First page" link). */
  paged: boolean;
  error?: string;
}): string {
  const { page: list, filters, chrome } = input;
  const filtered = Boolean(filters.state || filters.from || filters.to || filters.q);
  const empty = filtered
    ? `<p class="notice" role="status">No conversation matches these filters${list.next ? " in the ones searched so far" : ""}.</p>`
    : `<p class="notice" role="status">No conversations yet. Every chat where the customer wrote something shows up here.</p>`;
  const paging = [
    input.paged ? `<a href="/owner">First page</a>` : "",
    list.next ? `<a href="${h(query(filters, list.next))}" rel="next">Next page</a>` : "",
  ].filter(Boolean);
  return page(
    "Leads",
    `${topNav(chrome)}<h1>Leads</h1>
${input.error ? `<p class="notice error" role="alert">${h(input.error)}</p>` : ""}
${filterForm(filters)}
<p class="muted">Times in ${h(chrome.timeZone)}.${list.scanned > list.rows.length && list.next ? ` Searched ${list.scanned} conversations for this page.` : ""}</p>
${list.rows.length ? `<ul class="leads">${list.rows.map((r) => leadCard(r, chrome)).join("\n")}</ul>` : empty}
${paging.length ? `<nav class="top" aria-label="Pages">${paging.join("")}</nav>` : ""}`,
    { wide: true },
  );
}

/** What the page says after an action (the POST redirects here with `?done=<lead_reason>`). */
const DONE_TEXT: Record<string, string> = {
  sent: "The lead email was sent.",
  already_sent: "This lead was already sent; nothing was sent again.",
  in_progress: "A send is in progress; reload in a moment.",
  cooling_down: "The last attempt failed; it is tried again at the retry time. Use Retry to try now.",
  empty_thread: "The customer has not written anything yet.",
  missing_contact: "No phone or email from the customer. Use Send anyway to send it as it is.",
  not_ready: "The rules call this lead not ready. Use Send anyway to send it as it is.",
  error: "The send failed; it is tried again at the retry time.",
  failed: "The mail server refused the email. Check the email settings, then Retry.",
  outcome: "Outcome saved.",
};

function actions(view: ConversationView, path: string, csrfField: string): string {
  const state = view.row.status.state;
  const button = (action: string, label: string, extra = "") =>
    `<form method="post" action="${h(`${path}/${action}`)}">${csrfField}${extra}<button type="submit">${label}</button></form>`;
  const list: string[] = [];
  // Not sent yet: "Send now" sends when the rules call it ready; "Send anyway" whatever they say.
  if (state === "open" || state === "not_ready") {
    list.push(button("send", "Send now"));
    list.push(button("send", "Send anyway", `<input type="hidden" name="anyway" value="1">`));
  }
  if (state === "error" || state === "failed") list.push(button("retry", "Retry now"));
  if (!list.length) return "";
  return `<div class="actions">${list.join("")}</div>`;
}

/** An outcome form sent back with a mistake: what the owner entered, and what is wrong where. */
export interface RefusedOutcome {
  entered: { outcome?: string | undefined; value?: string | undefined; currency?: string | undefined };
  field: "outcome" | "value" | "currency";
  message: string;
}

function outcomeForm(
  view: ConversationView,
  path: string,
  csrfField: string,
  currency: string,
  refused: RefusedOutcome | undefined,
): string {
  const current = view.row.outcome;
  // After a refused submit the form shows what the owner entered, not what is saved.
  const shown = refused
    ? refused.entered
    : { outcome: current?.outcome, value: current?.value ?? "", currency: current?.currency ?? currency };
  const invalid = (field: RefusedOutcome["field"]) =>
    refused?.field === field ? ` aria-invalid="true" aria-describedby="outcome-error" autofocus` : "";
  const radios = LEAD_OUTCOMES.map(
    (o, i) =>
      `<label><input type="radio" name="outcome" value="${o}"${shown.outcome === o ? " checked" : ""} required${i === 0 ? invalid("outcome") : ""}> ${h(OUTCOME_LABELS[o])}</label>`,
  ).join("");
  const error = refused
    ? `<p class="notice error" id="outcome-error" role="alert">${h(refused.message)}</p>`
    : "";
  return `<form method="post" action="${h(`${path}/outcome`)}">${csrfField}
${error}<fieldset><legend>Outcome</legend>${radios}</fieldset>
<label for="value">Value (for a won job)</label>
<input id="value" name="value" type="text" inputmode="decimal" autocomplete="off" maxlength="16" value="${h(shown.value ?? "")}" placeholder="650.00"${invalid("value")}>
<label for="currency" class="next-field">Currency</label>
<input id="currency" name="currency" type="text" maxlength="3" autocomplete="off" value="${h(shown.currency ?? "")}"${invalid("currency")}>
<button type="submit">Save outcome</button>
</form>`;
}

function facts(rows: [string, string | null | undefined][]): string {
  const shown = rows.filter((r): r is [string, string] => Boolean(r[1]));
  if (!shown.length) return `<p class="muted">Nothing yet.</p>`;
  return `<dl class="facts">${shown.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join("")}</dl>`;
}

function historyLine(entry: JournalEntry, chrome: ConsoleChrome): string {
  const when = h(chrome.formatTime(entry.at));
  if (entry.kind === "outcome") {
    const value = entry.value ? ` ${entry.value} ${entry.currency ?? ""}`.trimEnd() : "";
    return `<li>${when}: outcome ${h(OUTCOME_LABELS[entry.outcome] + value)} by ${h(entry.actor)}</li>`;
  }
  const who = entry.actor ? ` by ${h(entry.actor)}` : "";
  const why = entry.detail ? ` (${h(entry.detail)})` : "";
  return `<li>${when}: ${h(triggerText(entry.trigger))}${who} → ${h(entry.leadReason.replace(/_/g, " "))}${why}</li>`;
}

/** `/owner/conversations/:id`: the transcript, photos, summary, emails, history and the actions. */
export function conversationPage(input: {
  view: ConversationView;
  chrome: ConsoleChrome;
  csrfField: string;
  currency: string;
  done?: string | undefined;
  /** An outcome form that was refused: shown again with the owner's input and the error by it. */
  refused?: RefusedOutcome | undefined;
}): string {
  const { view, chrome, csrfField } = input;
  const { row, summary } = view;
  const path = conversationPath(row.threadId);
  const name = row.customerName ?? "No name given";
  const phone = row.phone ? `<a href="tel:${h(row.phone)}">${h(row.phone)}</a>` : null;
  const email = row.email ? `<a href="mailto:${h(row.email)}">${h(row.email)}</a>` : null;
  const notice = input.refused
    ? `<p class="notice error"><a href="#outcome-error">The outcome was not saved: see below.</a></p>`
    : input.done && DONE_TEXT[input.done]
      ? `<p class="notice" role="status">${h(DONE_TEXT[input.done] as string)}</p>`
      : "";
  const photos = view.photos
    .filter((p) => p.stored)
    .map(
      (p) =>
        `<a href="${h(`${path}/photos/${p.index}`)}"><img src="${h(`${path}/photos/${p.index}`)}" alt="${h(`Photo: ${p.name}`)}" loading="lazy"></a>`,
    );
  const turns = view.transcript.turns.map((turn) => {
    const who = turn.role === "customer" ? "Customer" : "Assistant";
    const when = turn.createdAt !== null ? `, ${chrome.formatTime(turn.createdAt)}` : "";
    const quoted = turn.quoted ? `<div class="muted">Quoting: ${h(turn.quoted)}</div>` : "";
    const files = turn.attachments.length
      ? `<div class="muted">${turn.attachments.map((a) => `Attachment: ${h(a.name)}`).join("<br>")}</div>`
      : "";
    return `<li class="${turn.role}"><div class="who">${who}${h(when)}</div>${quoted}${h(turn.text)}${files}</li>`;
  });
  const emails = view.emails.map((e) => {
    const label = e.number === 0 ? "Lead email" : `Follow-up ${e.number}`;
    const status = [
      e.state === "sent" && e.sentAt ? `sent ${chrome.formatTime(e.sentAt)}` : e.state,
      e.state === "sent" ? null : e.lastError,
      e.attempts > 1 ? `${e.attempts} attempts` : null,
    ];
    // A subject means the message was prepared: its bytes are kept and can be shown.
    const title = e.subject ? `<a href="${h(`${path}/emails/${e.number}`)}">${h(e.subject)}</a>` : "";
    return `<li>${h(label)}: ${title} (${h(status.filter(Boolean).join(" · "))})</li>`;
  });
  return page(
    `${name}: conversation`,
    `${topNav(chrome)}<p><a href="/owner">← All leads</a></p>
<h1>${h(name)}</h1>
${notice}
<p>${statusLine(row, chrome)}</p>
${actions(view, path, csrfField)}
<section class="card" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>
${facts([
  ["Phone", phone],
  ["Email", email],
  ["Reach them", summary.contact_time ? h(summary.contact_time) : null],
  ["Vehicle or item", row.item ? h(row.item) : null],
  ["Service", row.service ? h(row.service) : null],
  ["Details", summary.service_details ? h(summary.service_details) : null],
  ["Timeline", summary.timeline ? h(summary.timeline) : null],
  ["Budget", summary.budget ? h(summary.budget) : null],
  ["Location", summary.location ? h(summary.location) : null],
  ["Photos", String(row.photos)],
  ["Started", h(chrome.formatTime(row.createdAt))],
])}
${summary.summary ? `<p>${h(summary.summary)}</p>` : ""}</section>
<section class="card" aria-labelledby="outcome-h"><h2 id="outcome-h">Outcome</h2>
${row.outcome ? `<p>${h(outcomeText(row, chrome))}</p>` : `<p class="muted">No outcome recorded.</p>`}
${outcomeForm(view, path, csrfField, input.currency, input.refused)}</section>
<section class="card" aria-labelledby="emails-h"><h2 id="emails-h">Emails</h2>
${emails.length ? `<ul class="plain">${emails.join("")}</ul>` : `<p class="muted">No email sent yet.</p>`}</section>
${photos.length ? `<section class="card" aria-labelledby="photos-h"><h2 id="photos-h">Photos</h2><div class="photos">${photos.join("")}</div></section>` : ""}
<section class="card" aria-labelledby="transcript-h"><h2 id="transcript-h">Conversation</h2>
<ol class="transcript">${turns.join("\n")}</ol></section>
<section class="card" aria-labelledby="history-h"><h2 id="history-h">History</h2>
${view.history.length ? `<ul class="plain">${view.history.map((e) => historyLine(e, chrome)).join("")}</ul>` : `<p class="muted">Nothing recorded yet.</p>`}</section>
${view.attribution.length ? `<section class="card" aria-labelledby="source-h"><h2 id="source-h">Where they came from</h2>${facts(view.attribution.map(([k, v]) => [k, h(v)]))}</section>` : ""}`,
    { wide: true },
  );
}

/** 404 for a conversation that does not exist. */
export function conversationNotFoundPage(chrome: ConsoleChrome): string {
  return page(
    "Conversation not found",
    `${topNav(chrome)}<h1>Conversation not found</h1><p class="notice error" role="alert">There is no conversation with that id.</p><p><a href="/owner">All leads</a></p>`,
  );
}
