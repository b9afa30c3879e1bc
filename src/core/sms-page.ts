// The page a "text the customer back" link opens, and its friendly error pages.

import { escapeHtml } from "./html.js";
import { formatPhoneForDisplay, type SmsLinkRecord, type SmsPlatform, smsUri, tidy } from "./sms-draft.js";

/**
 * The one inline stylesheet. Static so the HTTP layer can allow it by hash in its CSP; no
 * `style=""` attributes anywhere (a hash does not cover them).
 */
export const SMS_PAGE_STYLE = `:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fafafa;--muted:#5c5c5c;--accent:#0a63c9;--card:#fff;--line:#d6d6d6}
@media (prefers-color-scheme:dark){:root{--fg:#f1f1f1;--bg:#121212;--muted:#b5b5b5;--accent:#6cb2ff;--card:#1e1e1e;--line:#3a3a3a}}
*{box-sizing:border-box}body{margin:0;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:32rem;margin:0 auto;padding:1.5rem 1rem 3rem}h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}
h2{font-size:.875rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:1.5rem 0 .375rem}
.button{display:block;width:100%;padding:1rem;margin:.75rem 0;border-radius:.75rem;border:2px solid var(--accent);font:inherit;font-weight:600;text-align:center;text-decoration:none;color:var(--accent);background:var(--card);cursor:pointer}
.primary{color:#fff;background:var(--accent)}@media (prefers-color-scheme:dark){.primary{color:#000}}
.button:focus-visible{outline:3px solid var(--fg);outline-offset:3px}
.value{margin:0;padding:.75rem 1rem;border:1px solid var(--line);border-radius:.5rem;background:var(--card);white-space:pre-wrap;overflow-wrap:anywhere}
.phone{font-size:1.375rem;font-weight:600}.muted{color:var(--muted);font-size:.9375rem}[hidden]{display:none!important}
.offscreen{position:fixed;top:-100vh;left:0;opacity:0}`;

/**
 * The one inline script: copy buttons (clipboard API, with a textarea + execCommand fallback
 * for insecure origins and old browsers), the auto-open on phones, and showing the Messages
 * button to an iPad that sent a Mac User-Agent. Static (reads the DOM) so a CSP hash covers it.
 */
export const SMS_PAGE_SCRIPT = `(function(){var d=document,s=d.getElementById("copy-status"),o=d.getElementById("open-sms");
function say(t){if(s)s.textContent=t}
function fallback(t){var a=d.createElement("textarea");a.value=t;a.setAttribute("readonly","");a.className="offscreen";d.body.appendChild(a);a.select();var ok=false;try{ok=d.execCommand("copy")}catch(e){}d.body.removeChild(a);return ok}
function copy(t,label){var done=function(){say(label+" copied.")},fail=function(){say(fallback(t)?label+" copied.":"Copy did not work; select the text and copy it.")};
if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(t).then(done,fail)}else{fail()}}
d.querySelectorAll("button[data-copy]").forEach(function(b){b.hidden=false;b.addEventListener("click",function(){var e=d.getElementById(b.getAttribute("data-copy"));if(e)copy(e.textContent||"",b.getAttribute("data-label")||"Text")})});
if(o&&o.hidden&&/Macintosh/.test(navigator.userAgent)&&navigator.maxTouchPoints>1)o.hidden=false;
if(o&&d.body.getAttribute("data-auto-open")==="1"){try{location.href=o.href}catch(e){}}})();`;

function page(title: string, content: string, bodyAttributes = "", script = false): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${SMS_PAGE_STYLE}</style>
</head>
<body${bodyAttributes}>
<main>
${content}
</main>${script ? `\n<script>${SMS_PAGE_SCRIPT}</script>` : ""}
</body>
</html>
`;
}

/**
 * The page a text-back link opens. Phones get a big "Open Messages" button (and a client-side
 * auto-open, which changes nothing on the server); desktops get the number and message with copy
 * buttons. Every customer-supplied value is escaped.
 */
export function renderSmsPage(input: { record: SmsLinkRecord; platform: SmsPlatform }): string {
  const { record, platform } = input;
  const name = tidy(record.customerName, 80);
  const phone = record.phone.replace(/[^\d+]/g, "");
  const shown = escapeHtml(formatPhoneForDisplay(phone));
  const onPhone = platform !== "desktop";
  // Desktop keeps the iOS form ready for an iPad posing as a Mac (revealed by the script).
  const uri = smsUri(phone, record.body, platform === "android" ? "android" : "ios");
  const title = name ? `Text ${name} back` : "Text the customer back";
  const copyButton = (target: string, label: string) =>
    `<button type="button" class="button" data-copy="${target}" data-label="${label}" hidden>Copy ${label.toLowerCase()}</button>`;
  const content = `<h1>${escapeHtml(title)}</h1>
${onPhone ? `<p class="muted">Opening Messages with a drafted reply. If nothing happens, tap the button.</p>\n` : ""}<a class="button primary" id="open-sms" href="${escapeHtml(uri)}"${onPhone ? "" : " hidden"}>Open Messages</a>
<a class="button" href="tel:${escapeHtml(phone)}">Call ${shown}</a>
<h2 id="phone-label">Number</h2>
<p class="value phone" id="sms-phone" aria-labelledby="phone-label">${shown}</p>
${copyButton("sms-phone", "Number")}
<h2 id="body-label">Drafted message</h2>
<p class="value" id="sms-body" aria-labelledby="body-label">${escapeHtml(record.body)}</p>
${copyButton("sms-body", "Message")}
<p id="copy-status" class="muted" role="status" aria-live="polite"></p>
<p class="muted">${onPhone ? "Edit the message before you send it." : "Text this number from your phone, or paste the message into your messaging app."} This link expires ${escapeHtml(formatDate(record.expiresAt))}.</p>`;
  return page(title, content, onPhone ? ` data-auto-open="1"` : "", true);
}

/** Friendly pages for a link that never existed or is too old. They leak nothing about the lead. */
export function renderSmsErrorPage(
  kind: "not_found" | "expired",
  options: {
    /** How long links last, for the wording. @default 7 */
    ttlDays?: number;
  } = {},
): string {
  const days = options.ttlDays ?? 7;
  const fallback = "The lead email has the customer's number, so you can still text or call them from there.";
  if (kind === "expired") {
    return page(
      "This link has expired",
      `<h1>This link has expired</h1>
<p>Text-back links last ${days} ${days === 1 ? "day" : "days"}, so the customer's number is not kept here any longer.</p>
<p>${escapeHtml(fallback)}</p>`,
    );
  }
  return page(
    "Link not found",
    `<h1>This link does not work</h1>
<p>It may have been cut off when it was copied. Try tapping it again from the lead email.</p>
<p>${escapeHtml(fallback)}</p>`,
  );
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Jun 14, 2025" in UTC: the server does not know the reader's time zone. */
function formatDate(epochMs: number): string {
  const date = new Date(epochMs);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
}
