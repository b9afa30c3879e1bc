import { createHash } from "node:crypto";
import { escapeHtml } from "../core/html.js";

/**
 * The owner's own pages (login, logout, "this computer only"): server-rendered, no script, one
 * static stylesheet allowed by its hash, forms that post only to this site. Readable at 375 px.
 */
export const OWNER_PAGE_STYLE = `:root{color-scheme:light dark;--fg:#111827;--bg:#f3f4f6;--muted:#4b5563;--accent:#1d4ed8;--card:#fff;--line:#d1d5db;--bad:#b91c1c}
@media (prefers-color-scheme:dark){:root{--fg:#f3f4f6;--bg:#111827;--muted:#9ca3af;--accent:#93c5fd;--card:#1f2937;--line:#4b5563;--bad:#fca5a5}}
*{box-sizing:border-box}body{margin:0;font:1rem/1.5 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:26rem;margin:0 auto;padding:2rem 1rem 3rem}h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}
form{background:var(--card);border:1px solid var(--line);border-radius:.75rem;padding:1.25rem}
label{display:block;font-weight:600;margin:0 0 .375rem}label.next-field{margin-top:1rem}
input[type=password],input[type=date],select{display:block;width:100%;font:inherit;padding:.75rem;border:1px solid var(--line);border-radius:.5rem;background:var(--bg);color:var(--fg)}
button{display:block;width:100%;margin:1rem 0 0;padding:.875rem;font:inherit;font-weight:600;border:0;border-radius:.5rem;background:var(--accent);color:#fff;cursor:pointer}
@media (prefers-color-scheme:dark){button{color:#111827}}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid var(--fg);outline-offset:2px}
a{color:var(--accent)}.notice{padding:.75rem 1rem;border-radius:.5rem;background:var(--card);border:1px solid var(--line)}
.error{border-color:var(--bad);color:var(--bad);font-weight:600}.muted{color:var(--muted);font-size:.9375rem}code{overflow-wrap:anywhere}
main.wide{max-width:72rem}nav.top{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;margin:0 0 1rem}
form.filters{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));align-items:end;margin:0 0 1rem}
form.filters button,form.inline button{margin:0}input[type=search],input[type=text]{display:block;width:100%;font:inherit;padding:.75rem;border:1px solid var(--line);border-radius:.5rem;background:var(--bg);color:var(--fg)}
ul.leads{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}ul.leads>li,section.card{background:var(--card);border:1px solid var(--line);border-radius:.75rem;padding:1rem;overflow-wrap:anywhere}
section.card{margin:0 0 1rem}section.card h2{font-size:1.125rem;margin:0 0 .75rem}
.lead-head{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:baseline;justify-content:space-between}.lead-head a{font-weight:700;font-size:1.0625rem}
.badge{display:inline-block;padding:.125rem .5rem;border-radius:999px;border:1px solid var(--line);font-size:.875rem;font-weight:600}
.badge.sent,.badge.follow_up_sent{border-color:#15803d;color:#15803d}.badge.error,.badge.failed{border-color:var(--bad);color:var(--bad)}
dl.facts{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:.25rem 1rem;margin:0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:0 0 1rem}.actions form{background:none;border:0;padding:0}.actions button{width:auto;margin:0;padding:.75rem 1.25rem}
fieldset{border:0;margin:0 0 .75rem;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1rem}legend{font-weight:600;margin:0 0 .375rem}fieldset label{display:inline-flex;gap:.375rem;font-weight:400;margin:0;align-items:center}
ol.transcript{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}ol.transcript li{padding:.5rem .75rem;border-radius:.5rem;border:1px solid var(--line);white-space:pre-wrap;overflow-wrap:anywhere}
ol.transcript li.customer{background:var(--bg)}.who{font-weight:600;white-space:normal}
.photos{display:flex;flex-wrap:wrap;gap:.5rem}.photos img{width:9rem;height:9rem;object-fit:cover;border-radius:.5rem;border:1px solid var(--line)}
ul.plain{margin:0;padding-left:1.25rem}`;

function cspHash(source: string): string {
  return `'sha256-${createHash("sha256").update(source, "utf8").digest("base64")}'`;
}

/**
 * Headers of every owner page: nothing cached, framed or indexed. The referrer (`next` is in the
 * URL) stays on this site; `no-referrer` would not do: Chromium then sends `Origin: null` with the
 * form's POST, which the CORS layer refuses as a foreign origin.
 */
export const OWNER_PAGE_HEADERS: Record<string, string> = {
  "Content-Security-Policy": [
    "default-src 'none'",
    `style-src ${cspHash(OWNER_PAGE_STYLE)}`,
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "Cache-Control": "no-store",
  "Referrer-Policy": "same-origin",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "X-Robots-Tag": "noindex, nofollow",
};

/** A whole owner page; `wide` for the console's lists and conversations. */
export function page(title: string, content: string, options: { wide?: boolean } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<style>${OWNER_PAGE_STYLE}</style>
</head>
<body>
<main${options.wide ? ' class="wide"' : ""}>
${content}
</main>
</body>
</html>
`;
}

/** What the login page says above the form. */
export type LoginNotice =
  | { kind: "wrong_password" }
  | { kind: "expired_form" }
  | { kind: "rate_limited"; retryAfterSeconds: number }
  | { kind: "logged_out" };

function noticeHtml(notice: LoginNotice | undefined): string {
  if (!notice) return "";
  if (notice.kind === "logged_out") return `<p class="notice" role="status">You are logged out.</p>`;
  const text =
    notice.kind === "wrong_password"
      ? "Wrong password. Try again."
      : notice.kind === "expired_form"
        ? "The form expired. Enter the password again."
        : `Too many attempts. Try again in ${Math.max(1, Math.ceil(notice.retryAfterSeconds / 60))} minutes.`;
  return `<p class="notice error" role="alert">${escapeHtml(text)}</p>`;
}

/** The login form (POST to `action`), with the form's CSRF token and where to go next. */
export function loginPage(input: {
  action: string;
  csrf: string;
  next: string | null;
  notice?: LoginNotice;
}): string {
  const next = input.next ? `<input type="hidden" name="next" value="${escapeHtml(input.next)}">` : "";
  return page(
    "Owner login",
    `<h1>Owner login</h1>
${noticeHtml(input.notice)}
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
${next}<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${input.notice?.kind === "rate_limited" ? "" : " autofocus"}>
<button type="submit">Log in</button>
</form>
<p class="muted">For the shop owner: the lead outbox and the owner console.</p>`,
  );
}

const SET_PASSWORD = `<p>To use them from another computer or a phone, set <code>OWNER_PASSWORD</code> (or
<code>OWNER_PASSWORD_HASH</code>, printed by <code>npx lead-handoff hash-password</code>) and restart the server.</p>`;

/** The login page when no password is set: there is nothing to log in with. */
export function noPasswordPage(home: string): string {
  return page(
    "Owner login",
    `<h1>Owner login</h1>
<p class="notice" role="status">No owner password is set. Owner pages open without a login, but only on the computer running the server.</p>
${SET_PASSWORD}
<p><a href="${escapeHtml(home)}">Open the owner pages</a></p>`,
  );
}

/** 403 for a request from elsewhere while no password is set. */
export function localOnlyPage(): string {
  return page(
    "Owner pages are local only",
    `<h1>Owner pages are local only</h1>
<p class="notice error" role="alert">No owner password is set, so owner pages answer only on the computer running the server.</p>
${SET_PASSWORD}
<p class="muted">Error code: owner_access_local_only</p>`,
  );
}

/** The "Log out?" page (a link can only GET; the logout itself is a CSRF-checked POST). */
export function logoutPage(input: { action: string; csrfField: string; back: string }): string {
  return page(
    "Log out",
    `<h1>Log out?</h1>
<form method="post" action="${escapeHtml(input.action)}">
${input.csrfField}
<p>You will need the password to open the owner pages again.</p>
<button type="submit">Log out</button>
</form>
<p><a href="${escapeHtml(input.back)}">Back</a></p>`,
  );
}

/** The Google Ads exports page: a GET form (no state changes, so no CSRF field) per download. */
export function exportsPage(input: { today: string; timeZone: string; back: string }): string {
  const since = escapeHtml(input.today.slice(0, 8) + "01");
  return page(
    "Google Ads exports",
    `<h1>Google Ads exports</h1>
<p class="muted">CSV files Google Ads imports (docs/google-ads.md): offline click conversions for leads
with a Google click id, and enhanced conversions for leads (hashed email and phone). Each sent lead is
one conversion; a job marked won in the console adds one with its value. Times are in
${escapeHtml(input.timeZone)}.</p>
<form method="get" action="/owner/exports/download">
<label for="kind">File</label>
<select id="kind" name="kind"><option value="clicks">Click conversions (gclid)</option>
<option value="enhanced">Enhanced conversions for leads</option></select>
<label for="since" class="next-field">Leads sent (and jobs won) since</label>
<input id="since" name="since" type="date" value="${since}" required>
<button type="submit">Download CSV</button>
</form>
<p><a href="${escapeHtml(input.back)}">Back</a></p>`,
  );
}
