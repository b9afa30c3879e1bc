import { afterEach, describe, expect, it } from "vitest";
import { chatKitFetch } from "../../web/demo/chatkit-fetch.js";
import { assertConformingResponse } from "../support/chatkit-conformance.js";
import { createFakeClock } from "../support/fake-clock.js";
import { readSseEvents } from "../support/sse.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/**
 * The fetch wrapper a site hands the official `<openai-chatkit>` component (`api.fetch`): it must
 * authorize every request with a session of its own and renew it when it expires, so the component
 * works against our server with nothing else.
 */
describe("web/demo/chatkit-fetch.js", () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  it("adds a client secret to each request, and renews it once on 401 for the same visitor", async () => {
    const clock = createFakeClock();
    server = await startTestServer({ SESSION_TTL_SECONDS: "60" }, { clock });
    const sessions: number[] = [];
    const original = globalThis.fetch;
    const counting: typeof fetch = async (input, init) => {
      if (String(input).endsWith("/api/chatkit/session")) sessions.push(sessions.length);
      return original(input, init);
    };
    globalThis.fetch = counting;
    try {
      const componentFetch = chatKitFetch(`${server.baseUrl}/`, {
        visitorKey: "a-visitor-key-of-a-real-browser",
      });
      const post = (body: unknown) =>
        componentFetch(`${server.baseUrl}/api/chatkit`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const created = await post({
        type: "threads.create",
        params: {
          input: {
            content: [{ type: "input_text", text: "My boat seats are cracked" }],
            attachments: [],
            inference_options: {},
          },
        },
      });
      expect(created.status).toBe(200);
      const threadId = String(
        (await readSseEvents(created)).find((e) => e.type === "thread.created")?.thread?.id,
      );
      expect(sessions).toHaveLength(1);

      // The secret has expired: one 401, a new session for the same visitor, and the thread is still theirs.
      clock.advance(61_000);
      const listed = await post({ type: "items.list", params: { thread_id: threadId } });
      expect(listed.status).toBe(200);
      const body = await listed.json();
      assertConformingResponse("items.list", body);
      expect((body as { data: unknown[] }).data).toHaveLength(2);
      expect(sessions).toHaveLength(2);

      // Fresh again: no new session.
      expect((await post({ type: "threads.list", params: {} })).status).toBe(200);
      expect(sessions).toHaveLength(2);

      // Sites load it from the server itself.
      const served = await original(`${server.baseUrl}/demo/chatkit-fetch.js`);
      expect(served.status).toBe(200);
      expect(served.headers.get("content-type")).toMatch(/javascript/);
      expect(await served.text()).toContain("export function chatKitFetch");
    } finally {
      globalThis.fetch = original;
    }
  });
});
