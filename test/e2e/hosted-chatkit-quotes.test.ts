import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildTranscript } from "../../src/core/chat/transcript.js";
import {
  assistantMessage,
  type FakeChatKitServer,
  type SeedItem,
  startFakeChatKitServer,
  userMessage,
} from "../support/fake-chatkit-server.js";
import { createFakeClock } from "../support/fake-clock.js";
import { hostedSession, postLead, startHostedServer } from "../support/hosted-server.js";
import { outboxEmails, parseEmail } from "../support/outbox.js";
import { readSseEvents } from "../support/sse.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/** What the assistant said, with a number that is the shop's, not the customer's. */
const SHOP_LINE = "You can also call Craig directly at (512) 555-0199.";
const CUSTOMER_WORDS = "I'm Maria Lopez, email me at maria@example.com instead";

/** The Lead section of the email's text part. */
function leadSection(text: string): string {
  return text.split("\nLEAD\n")[1]?.split("\nCONVERSATION\n")[0] ?? "";
}

/**
 * A customer replying to a quote (ChatKit `quoted_text`) of the assistant's message: the quote is
 * shown as a quote, never read as the customer's words, so the number in it is not their contact.
 */
describe("quoted text in the lead, on both runtimes", () => {
  let fake: FakeChatKitServer;
  let server: TestServer | undefined;
  beforeAll(async () => {
    fake = await startFakeChatKitServer();
  });
  afterEach(async () => server?.close());
  afterAll(async () => fake?.close());

  /** The lead email went out with the customer's email as contact, and not the quoted number. */
  async function expectContactIsTheirs(srv: TestServer) {
    const files = outboxEmails(srv.outboxDir);
    expect(files).toHaveLength(1);
    const mail = await parseEmail(srv.outboxDir, String(files[0]));
    const lead = leadSection(String(mail.text));
    expect(lead).toMatch(/^Email:\s+maria@example\.com$/m);
    expect(lead).not.toContain("555-0199");
    expect(String(mail.text)).not.toContain("tel:+15125550199");
    expect(mail.replyTo?.text).toBe("maria@example.com");
    // The owner sees what she replied to, marked as a quote, in both parts of the email.
    expect(String(mail.text)).toContain(`Customer: > ${SHOP_LINE}`);
    expect(String(mail.html)).toMatch(/border-left:3px solid #d1d5db[^>]*>[^<]*555-0199/);
  }

  it("hosted ChatKit: the quoted_text part is a quote, not the customer's contact", async () => {
    server = await startHostedServer(fake);
    const maria = await hostedSession(server, "visitor-key-of-maria-quotes-1");
    const start = Math.floor(Date.now() / 1000) - 600;
    // The shop's number stands in a card (a widget, left out of the transcript): only keeping the
    // quote apart from the customer's words keeps it from counting as theirs.
    const card = JSON.stringify({ type: "Card", children: [{ type: "Text", value: SHOP_LINE }] });
    const conversation: SeedItem[] = [
      assistantMessage("msg_a0", "Hi! What can we help you with today?", start),
      userMessage("msg_u1", "Hi, the driver seat on my 2012 Honda Civic has a big tear in it", {
        created_at: start + 1,
      }),
      { id: "wdg_contact", type: "chatkit.widget", widget: card, created_at: start + 2 },
      assistantMessage("msg_a3", "What's your name and the best way to reach you?", start + 3),
      userMessage("msg_u4", "Yes please, I'm Maria Lopez, call me back", {
        quoted: SHOP_LINE,
        created_at: start + 4,
      }),
    ];
    fake.seedThread({ id: "cthr_hosted_quote", user: maria.userId }, conversation);
    const lead = () =>
      postLead(server as TestServer, maria.secret, { thread_id: "cthr_hosted_quote", reason: "chat_closed" });

    expect((await lead()).body).toMatchObject({ ok: false, lead_reason: "missing_contact" });

    fake.seedThread({ id: "cthr_hosted_quote", user: maria.userId }, [
      ...conversation,
      assistantMessage("msg_a5", "We'd need a number or an email to reach you.", start + 5),
      userMessage("msg_u6", "email me at maria@example.com instead", { created_at: start + 6 }),
    ]);
    expect((await lead()).body).toMatchObject({ ok: true, lead_reason: "sent" });
    await expectContactIsTheirs(server);
  });

  it("our own runtime keeps quoted_text on the item and in the transcript, apart from the words", async () => {
    const clock = createFakeClock();
    server = await startTestServer({}, { clock });
    const { secret } = await server.session();
    const chatkit = async (body: unknown) => {
      const response = await fetch(`${server?.baseUrl}/api/chatkit`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return readSseEvents(response);
    };
    const input = (text: string, quoted?: string) => ({
      content: [{ type: "input_text", text }],
      attachments: [],
      ...(quoted ? { quoted_text: quoted } : {}),
    });
    const created = (await chatkit({
      type: "threads.create",
      params: { input: input("Hi, the driver seat on my 2012 Honda Civic has a big tear in it") },
    })) as Array<{ type: string; thread?: { id: string } }>;
    const threadId = String(created[0]?.thread?.id);
    await chatkit({
      type: "threads.add_user_message",
      params: { thread_id: threadId, input: input(CUSTOMER_WORDS, SHOP_LINE) },
    });

    const items = await server.services.threads.listItems(threadId);
    expect(items[2]).toMatchObject({ type: "user_message", quoted_text: SHOP_LINE });
    const transcript = buildTranscript(items);
    expect(transcript.turns[2]).toMatchObject({ text: CUSTOMER_WORDS, quoted: SHOP_LINE });
    expect(transcript.text).toContain(`Customer: > ${SHOP_LINE}\n  ${CUSTOMER_WORDS}`);

    // Past the quiet window (LEAD_IDLE_DELAY_SECONDS, 5 minutes), within the session's 10.
    clock.advance(6 * 60_000);
    const sent = await postLead(server, secret, { thread_id: threadId, reason: "idle" });
    expect(sent.body).toMatchObject({ ok: true, lead_reason: "sent" });
    await expectContactIsTheirs(server);
  });
});
