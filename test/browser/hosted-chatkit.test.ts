import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPage, outboxEmails, useBrowserSuite, waitUntil } from "../support/browser.js";
import {
  assistantMessage,
  type FakeChatKitServer,
  startFakeChatKitServer,
  userMessage,
} from "../support/fake-chatkit-server.js";

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
    await page.goto("about:blank");
    await waitUntil(() => server.leadCalls.length > 0, "the pagehide beacon");
    expect(server.leadCalls).toEqual([{ reason: "pagehide", lead_reason: "sent" }]);
    expect(outboxEmails(server.outboxDir)).toHaveLength(1);
    await context.close();
  });
});
