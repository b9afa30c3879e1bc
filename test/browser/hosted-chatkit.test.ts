import type { FileChooser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPage, outboxEmails, parseEmail, useBrowserSuite, waitUntil } from "../support/browser.js";
import {
  assistantMessage,
  type FakeChatKitServer,
  startFakeChatKitServer,
  userMessage,
} from "../support/fake-chatkit-server.js";
import { makeJpeg, makePng } from "../support/images.js";

/**
 * `/chatkit.html`: OpenAI's `<openai-chatkit>` component, wired to us by widget.js
 * (`data-runtime="chatkit"`). The component comes from OpenAI's CDN, which tests cannot reach: only
 * that script is replaced, by a small element that asks for its secret as the component does and
 * emits the component's events. Everything of ours runs as shipped.
 */
const STUB_COMPONENT = `
class StubChatKit extends HTMLElement {
  setOptions(options) {
    options.api.getClientSecret(null).then((secret) => { window.__componentSecret = secret; });
  }
  sendUserMessage(params) {
    (window.__sent ??= []).push(params);
    return Promise.resolve();
  }
}
customElements.define("openai-chatkit", StubChatKit);
window.__emit = (name, detail) =>
  document.querySelector("openai-chatkit").dispatchEvent(new CustomEvent(name, { detail }));
`;

describe("hosted ChatKit demo page (/chatkit.html)", () => {
  const suite = useBrowserSuite();
  let fake: FakeChatKitServer;
  beforeAll(async () => {
    fake = await startFakeChatKitServer();
  });
  afterAll(async () => fake?.close());

  it("gets the component its secret from our session endpoint, follows its thread and sends the lead on pagehide", async () => {
    const server = await suite.start({
      CHAT_RUNTIME: "chatkit",
      CHATKIT_WORKFLOW_ID: "wf_demo_shop",
      OPENAI_API_KEY: "sk-test-browser-hosted",
      OPENAI_BASE_URL: fake.baseUrl,
    });
    const { page, context } = await openPage(suite.browser);
    await page.route("https://cdn.platform.openai.com/**", (route) =>
      route.fulfill({ contentType: "text/javascript", body: STUB_COMPONENT }),
    );
    await page.goto(`${server.baseUrl}/chatkit.html`);
    await expect
      .poll(() => page.evaluate(() => (window as { __componentSecret?: string }).__componentSecret))
      .toMatch(/^ek_/);

    // The workflow's session was made for our visitor id: the hosted thread carries it as its user.
    const sessionRequest = fake.requests.find((r) => r.path.endsWith("/chatkit/sessions"));
    const user = String((sessionRequest?.body as { user?: string } | undefined)?.user);
    const start = Math.floor(Date.now() / 1000) - 600;
    fake.seedThread({ id: "cthr_from_component", user }, [
      userMessage("msg_1", "Hi, the driver seat on my 2012 Honda Civic has a big tear", {
        created_at: start,
      }),
      assistantMessage("msg_2", "Sorry to hear that! What's your name and number?", start + 1),
      userMessage("msg_3", "Maria Lopez, 512-555-0123. Text is best", { created_at: start + 2 }),
      assistantMessage("msg_4", "Got it Maria, Craig will reach out within one business day.", start + 3),
    ]);

    // What the component emits as the customer chats.
    await page.evaluate(() => {
      const emit = (window as unknown as { __emit: (name: string, detail?: unknown) => void }).__emit;
      emit("chatkit.thread.change", { threadId: "cthr_from_component" });
      emit("chatkit.response.start");
      emit("chatkit.response.end");
    });
    // The reply's end also reports the customer's activity (the sweeper's safety net).
    await waitUntil(() => server.leadCalls.length > 0, "the activity report");
    await page.goto("about:blank");
    await waitUntil(() => server.leadCalls.length > 1, "the pagehide beacon");
    expect(server.leadCalls).toEqual([
      { reason: "activity", lead_reason: "http_200" },
      { reason: "pagehide", lead_reason: "sent" },
    ]);
    expect(outboxEmails(server.outboxDir)).toHaveLength(1);
    await context.close();
  });

  it("adds an accessible photo button: checks the size limit, uploads to us, sends the lines, and the email shows the photo inline", async () => {
    const server = await suite.start({
      CHAT_RUNTIME: "chatkit",
      CHATKIT_WORKFLOW_ID: "wf_demo_shop",
      OPENAI_API_KEY: "sk-test-browser-hosted",
      OPENAI_BASE_URL: fake.baseUrl,
      // The smallest limit hosted ChatKit sessions take (whole MB).
      ATTACHMENT_MAX_BYTES: "1048576",
    });
    const { page, context } = await openPage(suite.browser);
    // Listened for from the start: Playwright intercepts pickers only once it listens, and a
    // listener added just before a key press may come too late for it.
    const choosers: FileChooser[] = [];
    page.on("filechooser", (chooser) => choosers.push(chooser));
    const uploads: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname === "/api/attachments")
        uploads.push(request.url());
    });
    const nextChooser = async () => {
      await waitUntil(() => choosers.length > 0, "the file picker");
      return choosers.shift() as FileChooser;
    };
    await page.route("https://cdn.platform.openai.com/**", (route) =>
      route.fulfill({ contentType: "text/javascript", body: STUB_COMPONENT }),
    );
    await page.goto(`${server.baseUrl}/chatkit.html`);
    await expect
      .poll(() => page.evaluate(() => (window as { __componentSecret?: string }).__componentSecret))
      .toMatch(/^ek_/);
    const button = page.getByRole("button", { name: "Add photos" });
    const status = page.getByRole("status");
    const sent = () => page.evaluate(() => (window as { __sent?: Array<{ text: string }> }).__sent ?? []);

    // From the keyboard: Enter on the focused button opens the picker.
    const photo = await makeJpeg(40_000);
    await button.focus();
    await page.keyboard.press("Enter");
    await (await nextChooser()).setFiles({ name: "seat.jpg", mimeType: "image/jpeg", buffer: photo });
    await expect.poll(() => status.textContent()).toBe("Your photo was sent.");
    const messages = await sent();
    expect(messages).toHaveLength(1);
    const line = String(messages[0]?.text);
    expect(line).toMatch(
      new RegExp(
        `^Attachment: seat\\.jpg \\(image/jpeg\\) ${server.baseUrl}/api/attachments\\?id=chatkit-attachments/att_[\\w-]+\\.jpg$`,
      ),
    );

    // Too large for the server's limit: refused before any upload, and said so.
    await button.click();
    await (await nextChooser()).setFiles({
      name: "huge.jpg",
      mimeType: "image/jpeg",
      buffer: Buffer.alloc(1_100_000, 1),
    });
    await expect.poll(() => status.textContent()).toBe("huge.jpg: That photo is too large (max 1 MB).");
    expect(await sent()).toHaveLength(1);
    expect(uploads).toHaveLength(1);

    // More than the server takes at once: the first ones go, and the customer is told.
    const small = await makePng(8, 8);
    await button.click();
    await (await nextChooser()).setFiles(
      Array.from({ length: 11 }, (_, i) => ({ name: `p${i}.png`, mimeType: "image/png", buffer: small })),
    );
    await expect
      .poll(() => status.textContent())
      .toBe("Your 10 photos were sent. Up to 10 photos go at once; the first 10 were taken.");
    const batch = String((await sent())[1]?.text).split("\n");
    expect(batch).toHaveLength(10);
    expect(batch.every((entry) => /^Attachment: p\d\.png \(image\/png\) http\S+$/.test(entry))).toBe(true);
    expect(uploads).toHaveLength(11);

    // The component would now hold that message in the hosted thread, as the customer's.
    const sessionRequest = fake.requests.findLast((r) => r.path.endsWith("/chatkit/sessions"));
    const user = String((sessionRequest?.body as { user?: string } | undefined)?.user);
    const start = Math.floor(Date.now() / 1000) - 600;
    fake.seedThread({ id: "cthr_with_photo", user }, [
      userMessage("msg_1", "Hi, the driver seat on my 2012 Honda Civic has a big tear", {
        created_at: start,
      }),
      assistantMessage("msg_2", "Sorry to hear that! Could you send a photo?", start + 1),
      userMessage("msg_3", line, { created_at: start + 2 }),
      assistantMessage("msg_4", "Thanks! What's your name and number?", start + 3),
      userMessage("msg_5", "Maria Lopez, 512-555-0123. Text is best", { created_at: start + 4 }),
      assistantMessage("msg_6", "Got it Maria, Craig will reach out within one business day.", start + 5),
    ]);
    await page.evaluate(() => {
      const emit = (window as unknown as { __emit: (name: string, detail?: unknown) => void }).__emit;
      emit("chatkit.thread.change", { threadId: "cthr_with_photo" });
      emit("chatkit.response.start");
      emit("chatkit.response.end");
    });
    await waitUntil(() => server.leadCalls.length > 0, "the activity report");
    await page.goto("about:blank");
    await waitUntil(() => outboxEmails(server.outboxDir).length > 0, "the lead email");
    const [file] = outboxEmails(server.outboxDir);
    const mail = await parseEmail(server.outboxDir, String(file));
    const inline = mail.attachments.filter((a) => a.cid && a.contentDisposition === "inline");
    expect(inline).toHaveLength(1);
    expect(inline[0]?.content.equals(photo)).toBe(true);
    expect(String(mail.html)).toContain(`cid:${inline[0]?.cid}`);
    await context.close();
  });
});
