/**
 * The hosted page's "Add photos" button (`data-runtime="chatkit"`). Uploads made inside OpenAI's
 * component go to OpenAI, where the lead email can only link them; this button uploads each photo
 * to OUR attachment endpoint instead (with our own secret, as the session gave it), then sends the
 * customer's message into the hosted thread through the component's `sendUserMessage`, one
 * `Attachment: <name> (<mime>) <preview_url>` line per photo. The server turns those lines into
 * the customer's attachments (only for uploads of the thread's own user), so the email shows them
 * inline as it does for our own chat.
 */
import { type ChatClient, type ChatError, errorFor } from "./client.js";
import { CAMERA_ICON, h, icon } from "./dom.js";

/** Where the photo message goes: the official component (`sendUserMessage`). */
export interface PhotoMessageTarget {
  sendUserMessage(params: { text: string }): Promise<void> | void;
}

/** What the server takes (GET /api/attachments/limits); the upload enforces it anyway. */
interface UploadLimits {
  max_bytes: number;
  max_files: number;
}

/** The part of POST /api/attachments' answer the message needs. */
interface Uploaded {
  name: string;
  mime_type: string;
  preview_url: string;
}

/** When the limits cannot be read: the server still refuses what is too large (413). */
const UNKNOWN_LIMITS: UploadLimits = { max_bytes: Number.POSITIVE_INFINITY, max_files: 10 };

const CSS = `
:host{display:block;margin:8px 0;--a:var(--lead-chat-accent,#9c2b23)}
.row{display:flex;align-items:center;gap:10px;flex-wrap:wrap;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f}
button{display:inline-flex;align-items:center;gap:8px;font:inherit;font-weight:600;padding:8px 14px;border:0;border-radius:10px;background:var(--a);color:#fff;cursor:pointer}
button[aria-disabled=true]{opacity:.6;cursor:progress}
button:focus-visible{outline:3px solid var(--a);outline-offset:2px}
svg{width:20px;height:20px;fill:currentColor}
progress{width:120px;height:8px}
progress[hidden]{display:none}
.status{margin:0;font-size:14px}
.status[data-kind=error]{color:#8a1c12}
`;

/**
 * The transcript's attachment line (`attachmentLine` in src/core/chat/transcript.ts), each part on
 * one line. Written out here rather than imported, since that module brings zod into widget.js;
 * the hosted browser test checks the server reads these lines back into the email's photos.
 */
export function photoLine(photo: Uploaded): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const one = (value: string) => value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
  return `Attachment: ${one(photo.name)} (${one(photo.mime_type)}) ${one(photo.preview_url)}`;
}

/** POST /api/attachments (multipart `file`) with our secret, with progress and one renewal on 401. */
function uploadPhoto(
  client: ChatClient,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<Uploaded> {
  return client.postFile<Uploaded>("POST", `${client.api}/api/attachments`, file, onProgress);
}

/**
 * Builds the button (with its file picker, progress bar and `role="status"` line) for `client`'s
 * server; the photo message goes to `target`. Returns the element to place next to the component.
 */
export function createPhotoButton(client: ChatClient, target: PhotoMessageTarget): HTMLElement {
  const host = document.createElement("lead-chat-photos");
  const root = host.attachShadow({ mode: "open" });
  const button = h("button", { type: "button", "aria-disabled": "false" }, icon(CAMERA_ICON), "Add photos");
  const picker = h("input", { type: "file", accept: "image/*", multiple: "", hidden: "" });
  const bar = h("progress", { max: "1", value: "0", hidden: "", "aria-label": "Photo upload progress" });
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  root.append(h("style", {}, CSS), h("div", { class: "row" }, button, picker, bar, status));

  let busy = false;
  let limits: Promise<UploadLimits> | undefined;
  const say = (text: string, kind: "info" | "error" = "info") => {
    status.textContent = text;
    status.dataset.kind = kind;
  };
  const loadLimits = () => {
    limits ??= fetch(`${client.api}/api/attachments/limits`)
      .then((response) => (response.ok ? (response.json() as Promise<UploadLimits>) : UNKNOWN_LIMITS))
      .catch(() => UNKNOWN_LIMITS);
    return limits;
  };

  /** Uploads what the customer picked (within the limits), then sends one message naming it. */
  async function send(files: File[]): Promise<void> {
    const { max_bytes, max_files } = await loadLimits();
    const problems: string[] = [];
    let chosen = files.filter((file) => {
      if (!file.type.startsWith("image/")) problems.push(`${file.name}: only photos can be added here.`);
      else if (file.size > max_bytes)
        problems.push(`${file.name}: ${errorFor(413, `the limit is ${max_bytes} bytes`).message}`);
      else return true;
      return false;
    });
    if (chosen.length > max_files) {
      problems.push(`Up to ${max_files} photos go at once; the first ${max_files} were taken.`);
      chosen = chosen.slice(0, max_files);
    }
    const lines: string[] = [];
    bar.hidden = chosen.length === 0;
    for (const [index, file] of chosen.entries()) {
      say(`Uploading photo ${index + 1} of ${chosen.length}…`);
      try {
        const uploaded = await uploadPhoto(client, file, (fraction) => {
          bar.value = (index + fraction) / chosen.length;
        });
        lines.push(photoLine(uploaded));
      } catch (error) {
        problems.push(`${file.name}: ${(error as ChatError).message}`);
      }
    }
    bar.hidden = true;
    let sent = "";
    if (lines.length > 0) {
      say("Sending your photos…");
      try {
        await target.sendUserMessage({ text: lines.join("\n") });
        sent = lines.length === 1 ? "Your photo was sent." : `Your ${lines.length} photos were sent.`;
      } catch {
        problems.push("The photos could not be sent into the chat. Please try again.");
      }
    }
    say([sent, ...problems].filter(Boolean).join(" "), problems.length > 0 ? "error" : "info");
  }

  // aria-disabled rather than disabled while busy: the button keeps keyboard focus.
  button.onclick = () => {
    if (!busy) picker.click();
  };
  picker.onchange = () => {
    const files = Array.from(picker.files ?? []);
    picker.value = "";
    if (busy || files.length === 0) return;
    busy = true;
    button.setAttribute("aria-disabled", "true");
    void send(files)
      .catch(() => say("Something went wrong on our side. Please try again.", "error"))
      .finally(() => {
        busy = false;
        button.setAttribute("aria-disabled", "false");
      });
  };
  return host;
}
