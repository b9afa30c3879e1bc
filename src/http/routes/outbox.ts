import { Hono } from "hono";
import { escapeHtml } from "../../core/html.js";
import type { OutboxEntry, OutboxMessage, OutboxReader } from "../../ports/outbox-reader.js";

/** Options of {@link createOutboxRoutes}. */
export interface OutboxRoutesOptions {
  /** Reads the embedded outbox mailer's messages. */
  reader: OutboxReader;
  /**
   * Where the routes are mounted; the pages link with it.
   * @default "/outbox"
   */
  basePath?: string;
  /**
   * Where the list page's "Log out" link goes (a page with the CSRF-checked form: these pages
   * may not submit forms themselves); null shows none.
   * @default null
   */
  logoutPath?: string | null;
}

/**
 * The messages hold customer text and links, so the pages run no script at all, load nothing but
 * images, and cannot be framed, submit forms or change the base URL.
 */
export const MESSAGE_PAGE_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'none'; img-src data: https: http:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
  "X-Robots-Tag": "noindex, nofollow",
};

const FONT = "font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;";

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="${FONT}margin:0;padding:24px;background:#f3f4f6;color:#111827;">${body}</body></html>`;
}

function formatDate(date: Date): string {
  return Number.isNaN(date.getTime()) ? "" : date.toISOString().replace("T", " ").slice(0, 19);
}

function formatSize(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.ceil(bytes / 1000)} KB`;
}

function listPage(entries: OutboxEntry[], base: string, logoutPath: string | null): string {
  const cell = "padding:8px 12px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top;";
  const rows = entries.map(
    (e) => `<tr><td style="${cell}white-space:nowrap;color:#6b7280;">${escapeHtml(formatDate(e.date))}</td>
<td style="${cell}"><a href="${escapeHtml(`${base}/${e.id}`)}" style="color:#1d4ed8;font-weight:bold;">${escapeHtml(e.subject)}</a></td>
<td style="${cell}">${escapeHtml(e.to.join(", "))}</td><td style="${cell}white-space:nowrap;color:#6b7280;">${formatSize(e.size)}</td></tr>`,
  );
  const body = entries.length
    ? `<table style="border-collapse:collapse;background:#fff;width:100%;max-width:1100px;"><thead><tr><th style="${cell}">Date (UTC)</th><th style="${cell}">Subject</th><th style="${cell}">To</th><th style="${cell}">Size</th></tr></thead><tbody>${rows.join("\n")}</tbody></table>`
    : `<p style="background:#fff;padding:16px;max-width:700px;">No messages yet. When a conversation is handed off, the lead email is saved here instead of being sent (MAILER=outbox).</p>`;
  const logout = logoutPath
    ? `<p style="margin:0 0 16px 0;"><a href="${escapeHtml(logoutPath)}" style="color:#1d4ed8;">Log out</a></p>`
    : "";
  return page("Outbox", `<h1 style="font-size:22px;margin:0 0 16px 0;">Outbox</h1>${logout}${body}`);
}

function notFoundPage(base: string): string {
  return page(
    "Message not found",
    `<h1 style="font-size:22px;">Message not found</h1><p>There is no message with that id in the outbox.</p><p><a href="${escapeHtml(base)}" style="color:#1d4ed8;">Back to the outbox</a></p>`,
  );
}

/** Where the message page's toolbar links: back to a list, and to the raw `.eml` when there is one. */
export interface MessageLinks {
  back: string;
  backLabel: string;
  raw: string | null;
}

function toolbar(
  fields: { subject: string; from: string; to: string; date: string },
  links: MessageLinks,
): string {
  const link = "color:#93c5fd;margin-right:16px;";
  const raw = links.raw ? `<a href="${escapeHtml(links.raw)}" style="${link}">Download .eml</a>` : "";
  return `<div style="${FONT}background:#111827;color:#f9fafb;padding:10px 16px;font-size:13px;line-height:20px;">
<a href="${escapeHtml(links.back)}" style="${link}">&larr; ${escapeHtml(links.backLabel)}</a>${raw}
<div><strong>${escapeHtml(fields.subject)}</strong></div>
<div>From: ${escapeHtml(fields.from)} &middot; To: ${escapeHtml(fields.to)} &middot; ${escapeHtml(fields.date)}</div></div>`;
}

/** Puts the toolbar at the top of the email's own document (or wraps a fragment). */
function withToolbar(html: string, bar: string): string {
  const body = /<body\b[^>]*>/i.exec(html);
  if (!body) return page("Message", `${bar}${html}`);
  const at = body.index + body[0].length;
  return `${html.slice(0, at)}${bar}${html.slice(at)}`;
}

/**
 * One decoded email as a page: its own HTML (photos inline as `data:` URIs) under a toolbar with
 * the headers, or its text part. Send it with {@link MESSAGE_PAGE_HEADERS}.
 */
export function messagePage(mail: OutboxMessage, links: MessageLinks): string {
  const bar = toolbar(
    {
      subject: mail.subject ?? "(no subject)",
      from: mail.from,
      to: mail.to,
      date: mail.date ? `${formatDate(mail.date)} UTC` : "",
    },
    links,
  );
  return mail.html
    ? withToolbar(mail.html, bar)
    : page(
        mail.subject ?? "Message",
        `${bar}<pre style="white-space:pre-wrap;background:#fff;padding:16px;">${escapeHtml(mail.text ?? "")}</pre>`,
      );
}

/**
 * `/outbox` (mount at `basePath`): the embedded mailer's messages, like Mailpit. `GET /` lists
 * them, `GET /:id` shows the HTML part with `cid:` photos as `data:` URIs, `GET /:id/raw` is the
 * `.eml` itself. Unknown or malformed ids (path traversal included) get a friendly 404 page.
 */
export function createOutboxRoutes(options: OutboxRoutesOptions): Hono {
  const { reader } = options;
  const base = (options.basePath ?? "/outbox").replace(/\/+$/, "");
  const app = new Hono();

  app.get("/", async (c) => {
    for (const [name, value] of Object.entries(MESSAGE_PAGE_HEADERS)) c.header(name, value);
    return c.html(listPage(await reader.list(), base, options.logoutPath ?? null));
  });

  app.get("/:id/raw", async (c) => {
    const id = c.req.param("id");
    const raw = await reader.readRaw(id);
    for (const [name, value] of Object.entries(MESSAGE_PAGE_HEADERS)) c.header(name, value);
    if (!raw) return c.html(notFoundPage(base), 404);
    c.header("Content-Type", "message/rfc822");
    // The id only has [A-Za-z0-9_.@-] (checked by the reader), so it is safe inside the quotes.
    c.header("Content-Disposition", `attachment; filename="${id}.eml"`);
    // readFile never returns shared memory; the cast only narrows ArrayBufferLike for the types.
    return c.body(new Uint8Array(raw.buffer as ArrayBuffer, raw.byteOffset, raw.byteLength));
  });

  app.get("/:id", async (c) => {
    const id = c.req.param("id");
    const mail = await reader.read(id);
    for (const [name, value] of Object.entries(MESSAGE_PAGE_HEADERS)) c.header(name, value);
    if (!mail) return c.html(notFoundPage(base), 404);
    return c.html(messagePage(mail, { back: base, backLabel: "Outbox", raw: `${base}/${id}/raw` }));
  });

  return app;
}
