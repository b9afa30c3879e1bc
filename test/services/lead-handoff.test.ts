import { simpleParser } from "mailparser";
import { describe, expect, it, vi } from "vitest";
import { createSqliteLeadStore } from "../../src/adapters/sqlite/lead-store.js";
import { DeliveryError } from "../../src/core/delivery.js";
import { NotFoundError } from "../../src/core/errors.js";
import type { LeadStore } from "../../src/ports/lead-store.js";
import type { OutgoingMail } from "../../src/ports/mailer.js";
import { createLeadHandoffService, type LeadHandoffOptions } from "../../src/services/lead-handoff.js";
import {
  runAttributionStoreContract,
  sampleAttributionRecord,
} from "../contracts/attribution-store.contract.js";
import { runBlobStoreContract } from "../contracts/blob-store.contract.js";
import { runLeadStoreContract } from "../contracts/lead-store.contract.js";
import { runThreadStoreContract } from "../contracts/thread-store.contract.js";
import { createFakeClock } from "../support/fake-clock.js";
import {
  createFakeImageShrinker,
  createFixedSummarizer,
  createInMemoryAttributionStore,
  createInMemoryBlobStore,
  createInMemoryLeadJournal,
  createInMemoryLeadStore,
  createInMemoryThreadStore,
  createRecordingLogger,
  createRecordingMailer,
  createRecordingSmsLinkCreator,
} from "../support/in-memory-ports.js";
import { sampleSummary } from "../support/lead-email.js";
import { sqliteFixture } from "../support/sqlite.js";
import { readyConversation, seedThread } from "../support/threads.js";

// The fakes are only worth something if they behave like the real adapters: same contracts.
runLeadStoreContract("in-memory", async () => {
  const store = createInMemoryLeadStore();
  return { store, breakWrites: async () => store.breakWrites(), teardown: async () => {} };
});
runThreadStoreContract("in-memory", async () => ({
  store: createInMemoryThreadStore(),
  teardown: async () => {},
}));
runAttributionStoreContract("in-memory", async () => ({
  store: createInMemoryAttributionStore(),
  teardown: async () => {},
}));
runBlobStoreContract("in-memory", async () => ({
  store: createInMemoryBlobStore(),
  teardown: async () => {},
}));

describe("in-memory LeadStore against the SQLite one", () => {
  it("answers every call of a long random sequence exactly as SQLite does", async () => {
    const sqlite = await sqliteFixture((db) => createSqliteLeadStore({ db }))();
    try {
      const stores = [sqlite.store, createInMemoryLeadStore()] as const;
      // A small deterministic generator, so a failure can be replayed.
      let seed = 20_261_202;
      const next = (n: number) => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed % n;
      };
      const pick = <T>(values: readonly T[]): T => values[next(values.length)] as T;
      const threadIds = ["cthr_a", "cthr_b", "cthr_c"];
      const leaseIds = ["lease-1", "lease-2", "lease-3", "lease-4"];
      let now = 1_000_000;
      const log: string[] = [];
      for (let step = 0; step < 600; step++) {
        // Multiples of 4, and due times of thread i are i mod 4: no two threads ever tie on a due
        // time (SQL leaves the order of ties open).
        now += pick([0, 4, 500, 30_000, 60_000, 400_000]);
        const index = next(threadIds.length);
        const threadId = threadIds[index] as string;
        const leaseId = pick(leaseIds);
        const held = { threadId, leaseId };
        // An odd count: this generator's low bits cycle, so an even one never picks some ops.
        const op = next(13);
        const call = async (store: LeadStore): Promise<unknown> => {
          switch (op) {
            case 0:
            case 1:
              return store.acquireLease({
                threadId,
                leaseId,
                now,
                leaseExpiresAt: now + pick([0, 60_000, 120_000]),
                ttl: now + pick([1_000, 900_000, 86_400_000]),
              });
            case 2:
              return store.prepare({
                ...held,
                emailKey: `lead-emails/${threadId}.eml`,
                messageId: `<m${step}@x>`,
                subject: `s${step}`,
                coveredThrough: now,
              });
            case 3:
              return store.markSent({ ...held, messageId: `<s${step}@x>`, sentAt: now });
            case 4:
              return store.markError({ ...held, error: `e${step}`, retryAfter: now + pick([0, 300_000]) });
            case 5:
              return store.markFailed({ ...held, error: `f${step}` });
            case 6:
              return store.releaseLease({ ...held, now });
            case 7:
              return store.countFailed(now);
            case 8:
              return store.schedule(threadId, now + pick([0, 1_000, 60_000]) + index);
            case 9:
              return store.listDue(now, 2);
            case 10:
              return store.reopen({ threadId, now });
            default: {
              const due = await store.listDue(now, 10);
              // The listed due time, or a stale one (rescheduled meanwhile): then nothing moves.
              const listed = due.find((d) => d.threadId === threadId);
              const stale = { threadId, dueAt: now - 4 + index };
              const seen = listed ? pick([listed, stale]) : stale;
              await store.settleDue(seen, pick([null, now + 5_000]));
              return store.get(threadId);
            }
          }
        };
        // Each call is made on both stores with the same generator state.
        const saved = seed;
        const fromSqlite = await call(stores[0]);
        seed = saved;
        const fromMemory = await call(stores[1]);
        log.push(`${step}: op ${op} ${threadId} ${leaseId} @${now}`);
        expect(fromMemory, log.slice(-5).join("\n")).toEqual(fromSqlite);
        for (const id of threadIds)
          expect(await stores[1].get(id), log.at(-1)).toEqual(await stores[0].get(id));
        const everything = (store: LeadStore) => store.listDue(Number.MAX_SAFE_INTEGER, 100);
        expect(await everything(stores[1]), log.at(-1)).toEqual(await everything(stores[0]));
      }
    } finally {
      await sqlite.teardown();
    }
  });
});

const MINUTE = 60_000;
const THREAD = "cthr_lead1";
const OWNER = "user_a";
const STRANGER = "user_b";

/** The service over in-memory ports, with a ready conversation of OWNER seeded ten minutes ago. */
async function setup(overrides: Partial<LeadHandoffOptions> = {}) {
  const clock = createFakeClock();
  const ports = {
    threads: createInMemoryThreadStore(),
    leads: createInMemoryLeadStore(),
    attribution: createInMemoryAttributionStore({ now: clock.now }),
    blobs: createInMemoryBlobStore(),
    summarizer: createFixedSummarizer(sampleSummary()),
    mailer: createRecordingMailer(),
    shrinker: createFakeImageShrinker(),
    smsLinks: createRecordingSmsLinkCreator(),
    logger: createRecordingLogger(),
    clock,
  };
  const options: LeadHandoffOptions = {
    ...ports,
    idleDelayMs: MINUTE,
    requireIdleForAll: false,
    dedupeTtlDays: 30,
    inlineMaxBytes: 1_000_000,
    previewBaseUrl: "http://127.0.0.1:8787/api/attachments",
    defaultRegion: "US",
    emailFrom: "Lead Bot <leads@shop.example>",
    emailTo: ["owner@shop.example"],
    ...overrides,
  };
  await seedThread(ports.threads, THREAD, readyConversation(clock.now() - 10 * MINUTE), OWNER);
  const service = createLeadHandoffService(options);
  /** A second process: its own memory (sent-leads cache), the same stores. */
  const restart = () => createLeadHandoffService(options);
  return { ...ports, service, restart };
}

async function parse(mail: OutgoingMail | undefined) {
  if (!mail) throw new Error("no mail");
  const parsed = await simpleParser(Buffer.from(mail.raw), { skipImageLinks: true });
  return { text: parsed.text ?? "", html: typeof parsed.html === "string" ? parsed.html : "" };
}

describe("lead handoff: the SMS link", () => {
  it("puts a working link in the email as a Text button", async () => {
    const { service, mailer, smsLinks } = await setup();
    const result = await service.handle({ threadId: THREAD, reason: "chat_closed", userId: OWNER });
    expect(result).toMatchObject({ ok: true, lead_reason: "sent" });
    expect(smsLinks.calls).toEqual([
      { threadId: THREAD, phone: "+15125550123", customerName: "Maria Lopez", service: "seat_repair" },
    ]);
    const { text, html } = await parse(mailer.sent[0]);
    expect(text).toContain("Text Maria: https://chat.shop.example/sms/tok1");
    expect(html).toContain('href="https://chat.shop.example/sms/tok1"');
  });

  it("sends the email without the link, and warns, when the link cannot be made", async () => {
    const { service, mailer, smsLinks, logger, leads } = await setup();
    smsLinks.failWith(new Error("token store is read-only"));
    const result = await service.handle({ threadId: THREAD, reason: "chat_closed", userId: OWNER });

    expect(result).toMatchObject({ ok: true, lead_reason: "sent", thread_id: THREAD });
    expect(result.message_id).toEqual(expect.stringMatching(/^<.+>$/));
    expect(smsLinks.calls).toHaveLength(1);
    expect(mailer.attempts).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.messageId).toBe(result.message_id);
    const { text, html } = await parse(mailer.sent[0]);
    expect(text).toContain("Maria Lopez");
    expect(text).not.toMatch(/Text Maria|Text the customer/);
    expect(html).not.toMatch(/Text Maria|Text the customer/);
    expect(`${text}${html}`).not.toContain("/sms/");
    expect(logger.at("warn")).toContainEqual(
      expect.objectContaining({
        fields: expect.objectContaining({ thread_id: THREAD, err: expect.stringContaining("read-only") }),
      }),
    );
    expect(await leads.get(THREAD)).toMatchObject({ state: "sent", messageId: result.message_id });
  });
});

describe("lead handoff: stamping the attribution", () => {
  it("stamps lead_sent_at with the send time", async () => {
    const { service, attribution, clock } = await setup();
    await attribution.put(
      sampleAttributionRecord({ threadId: THREAD, createdAt: clock.now(), ttl: clock.now() + MINUTE }),
    );
    await service.handle({ threadId: THREAD, reason: "chat_closed", userId: OWNER });
    expect((await attribution.get(THREAD))?.leadSentAt).toBe(clock.now());
  });

  it("still answers sent when markLeadSent fails, records the send and warns about lead_sent_at", async () => {
    const { service, attribution, leads, mailer, logger, clock } = await setup();
    await attribution.put(
      sampleAttributionRecord({ threadId: THREAD, createdAt: clock.now(), ttl: clock.now() + MINUTE }),
    );
    const markLeadSent = vi.fn(async () => {
      throw new Error("attribution table is locked");
    });
    attribution.markLeadSent = markLeadSent;

    const result = await service.handle({ threadId: THREAD, reason: "chat_closed", userId: OWNER });
    expect(result).toMatchObject({ ok: true, lead_reason: "sent", thread_id: THREAD });
    expect(markLeadSent).toHaveBeenCalledWith(THREAD, clock.now());
    expect(await leads.get(THREAD)).toMatchObject({
      state: "sent",
      messageId: result.message_id,
      sentAt: clock.now(),
      lastError: null,
      retryAfter: null,
    });
    expect(mailer.sent).toHaveLength(1);
    const warnings = logger.at("warn").filter((entry) => entry.message.includes("lead_sent_at"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toMatchObject({
      thread_id: THREAD,
      err: expect.stringContaining("attribution table is locked"),
    });
    expect(logger.at("error")).toEqual([]);
    // Nothing was left for a retry: the next trigger knows the lead is out.
    expect(await service.handle({ threadId: THREAD, reason: "pagehide", userId: OWNER })).toMatchObject({
      lead_reason: "already_sent",
    });
    expect(mailer.attempts).toHaveLength(1);
  });
});

describe("lead handoff: only the owner learns about a sent thread", () => {
  async function expectNotFound(promise: Promise<unknown>) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: "not_found" });
  }

  it("answers a stranger 404, with the sent-leads cache cold and warm, and the owner already_sent", async () => {
    const first = await setup();
    const sent = await first.service.handle({ threadId: THREAD, reason: "chat_closed", userId: OWNER });
    expect(sent).toMatchObject({ ok: true, lead_reason: "sent" });
    // This process remembers the send; the stranger still gets nothing.
    await expectNotFound(first.service.handle({ threadId: THREAD, reason: "pagehide", userId: STRANGER }));

    // Another process: its cache is empty, the stores say sent.
    const service = first.restart();
    const getThread = vi.spyOn(first.threads, "getThread");
    await expectNotFound(service.handle({ threadId: THREAD, reason: "pagehide", userId: STRANGER }));
    expect(getThread).toHaveBeenCalledTimes(1);

    // The owner, twice: the first answer comes from the store and fills the cache...
    const owner1 = await service.handle({ threadId: THREAD, reason: "pagehide", userId: OWNER });
    expect(owner1).toEqual({
      ok: true,
      lead_reason: "already_sent",
      thread_id: THREAD,
      message_id: sent.message_id,
    });
    expect(getThread).toHaveBeenCalledTimes(2);
    // ...the second from the cache, without reading the thread.
    const owner2 = await service.handle({ threadId: THREAD, reason: "pagehide", userId: OWNER });
    expect(owner2).toEqual(owner1);
    expect(getThread).toHaveBeenCalledTimes(2);

    // The cache holds the thread now, and still answers only its owner.
    await expectNotFound(service.handle({ threadId: THREAD, reason: "pagehide", userId: STRANGER }));
    await expectNotFound(service.handle({ threadId: THREAD, reason: "manual", userId: STRANGER }));
    // Internal callers (CLI, sweeper) pass no user and may see every thread.
    expect(await service.handle({ threadId: THREAD, reason: "manual" })).toEqual(owner1);
    expect((await service.sweep(THREAD)).result).toEqual(owner1);

    expect(first.mailer.attempts).toHaveLength(1);
  });

  it("answers a stranger 404 before anything is sent, and sends nothing for them", async () => {
    const { service, mailer, leads } = await setup();
    await expectNotFound(service.handle({ threadId: THREAD, reason: "chat_closed", userId: STRANGER }));
    await expectNotFound(service.handle({ threadId: "cthr_missing", reason: "chat_closed", userId: OWNER }));
    expect(mailer.attempts).toEqual([]);
    expect(await leads.get(THREAD)).toBeNull();
  });
});

describe("lead handoff: failures", () => {
  it("records error with a cool-down when the mailer throws, refuses during it and resends the same message after", async () => {
    const { service, mailer, leads, clock, logger } = await setup();
    mailer.failWith(new Error("connect ECONNREFUSED 127.0.0.1:25"));
    const startedAt = clock.now();

    const failed = await service.handle({ threadId: THREAD, reason: "chat_closed", userId: OWNER });
    const retryAt = startedAt + 5 * MINUTE;
    expect(failed).toEqual({
      ok: false,
      lead_reason: "error",
      thread_id: THREAD,
      retry_after: new Date(retryAt).toISOString(),
    });
    expect(mailer.attempts).toHaveLength(1);
    expect(mailer.sent).toHaveLength(0);
    expect(await leads.get(THREAD)).toMatchObject({
      state: "error",
      attempts: 1,
      retryAfter: retryAt,
      lastError: expect.stringContaining("ECONNREFUSED"),
      sentAt: null,
    });
    expect(logger.at("error")).toContainEqual(
      expect.objectContaining({
        fields: expect.objectContaining({ thread_id: THREAD, lead_reason: "error" }),
      }),
    );

    // During the cool-down: no new attempt.
    mailer.failWith(null);
    clock.advance(5 * MINUTE - 1);
    expect(await service.handle({ threadId: THREAD, reason: "pagehide", userId: OWNER })).toMatchObject({
      ok: false,
      lead_reason: "cooling_down",
      retry_after: new Date(retryAt).toISOString(),
    });
    expect(mailer.attempts).toHaveLength(1);

    // After it: sent, as the very message the failed attempt prepared.
    clock.advance(1);
    const resent = await service.handle({ threadId: THREAD, reason: "pagehide", userId: OWNER });
    expect(resent).toMatchObject({ ok: true, lead_reason: "sent" });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.messageId).toBe(mailer.attempts[0]?.messageId);
    expect(Buffer.from(mailer.sent[0]?.raw ?? []).equals(Buffer.from(mailer.attempts[0]?.raw ?? []))).toBe(
      true,
    );
    expect(await leads.get(THREAD)).toMatchObject({
      state: "sent",
      attempts: 2,
      lastError: null,
      retryAfter: null,
    });
  });

  it("doubles the cool-down after a second failure", async () => {
    const { service, mailer, leads, clock } = await setup();
    mailer.failWith(new Error("421 try later"));
    await service.handle({ threadId: THREAD, reason: "chat_closed", userId: OWNER });
    clock.advance(5 * MINUTE);
    const second = await service.handle({ threadId: THREAD, reason: "pagehide", userId: OWNER });
    expect(second).toMatchObject({
      lead_reason: "error",
      retry_after: new Date(clock.now() + 10 * MINUTE).toISOString(),
    });
    expect(await leads.get(THREAD)).toMatchObject({
      state: "error",
      attempts: 2,
      retryAfter: clock.now() + 10 * MINUTE,
    });
  });

  it("records error when the delivery hangs past sendTimeoutMs", async () => {
    const { service, mailer, leads, clock } = await setup({ sendTimeoutMs: 20 });
    mailer.send = () => new Promise(() => {});
    const result = await service.handle({ threadId: THREAD, reason: "chat_closed", userId: OWNER });
    expect(result).toMatchObject({
      ok: false,
      lead_reason: "error",
      retry_after: new Date(clock.now() + 5 * MINUTE).toISOString(),
    });
    expect(await leads.get(THREAD)).toMatchObject({
      state: "error",
      lastError: expect.stringContaining("20 ms"),
    });
  });

  it("records failed, without a retry, when the mail server refuses for good", async () => {
    const { service, mailer, leads, logger } = await setup();
    mailer.failWith(new DeliveryError("550 5.1.1 no such user", { permanent: true }));
    const result = await service.handle({ threadId: THREAD, reason: "chat_closed", userId: OWNER });
    expect(result).toEqual({ ok: false, lead_reason: "failed", thread_id: THREAD });
    expect(await leads.get(THREAD)).toMatchObject({
      state: "failed",
      retryAfter: null,
      lastError: expect.stringContaining("550"),
    });
    expect(logger.at("error").some((entry) => entry.fields.thread_id === THREAD)).toBe(true);
    expect(await service.handle({ threadId: THREAD, reason: "pagehide", userId: OWNER })).toMatchObject({
      lead_reason: "failed",
    });
    expect(mailer.attempts).toHaveLength(1);
  });

  it("answers sent when markSent says the lease was lost after delivery, logs it, and never sends twice here", async () => {
    const { service, mailer, leads, logger } = await setup();
    const markSent = vi.fn(async () => false);
    leads.markSent = markSent;
    const result = await service.handle({ threadId: THREAD, reason: "chat_closed", userId: OWNER });
    // The email is out: that is what the answer says, whatever the bookkeeping managed.
    expect(result).toMatchObject({ ok: true, lead_reason: "sent", message_id: mailer.sent[0]?.messageId });
    expect(markSent).toHaveBeenCalledTimes(1);
    expect(mailer.sent).toHaveLength(1);
    // Not recorded as a failure: no error state, no retry time.
    expect(result.retry_after).toBeUndefined();
    expect(await leads.get(THREAD)).toMatchObject({ state: "sending", retryAfter: null, lastError: null });
    expect(logger.at("error")).toContainEqual(
      expect.objectContaining({ fields: expect.objectContaining({ thread_id: THREAD }) }),
    );
    // This process remembers the send even though the store does not say so.
    expect(await service.handle({ threadId: THREAD, reason: "pagehide", userId: OWNER })).toMatchObject({
      lead_reason: "already_sent",
    });
    expect(mailer.attempts).toHaveLength(1);
  });

  it("answers sent when markSent throws after delivery, and logs it", async () => {
    const { service, mailer, leads, logger } = await setup();
    leads.markSent = async () => {
      throw new Error("SQLITE_FULL: database or disk is full");
    };
    const result = await service.handle({ threadId: THREAD, reason: "chat_closed", userId: OWNER });
    expect(result).toMatchObject({ ok: true, lead_reason: "sent" });
    expect(mailer.sent).toHaveLength(1);
    expect(logger.at("error")).toContainEqual(
      expect.objectContaining({
        fields: expect.objectContaining({ thread_id: THREAD, err: expect.stringContaining("SQLITE_FULL") }),
      }),
    );
  });
});

describe("lead handoff: the owner's console triggers and the history", () => {
  it("retries a failed send now with the same message, once, and writes who did it", async () => {
    const journal = createInMemoryLeadJournal();
    const { service, mailer, leads } = await setup({ journal });
    mailer.failWith(new DeliveryError("550 5.1.1 no such user", { permanent: true }));
    expect(await service.handle({ threadId: THREAD, reason: "chat_closed", userId: OWNER })).toMatchObject({
      lead_reason: "failed",
    });
    // A page trigger never reopens a failed send; only the owner's retry does.
    expect(await service.handle({ threadId: THREAD, reason: "manual", userId: OWNER })).toMatchObject({
      lead_reason: "failed",
    });
    mailer.failWith(null);
    const [a, b] = await Promise.all([
      service.handle({ threadId: THREAD, reason: "owner_retry", actor: "owner" }),
      service.handle({ threadId: THREAD, reason: "owner_retry", actor: "owner" }),
    ]);
    expect([a.lead_reason, b.lead_reason].filter((r) => r === "sent")).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
    // The same bytes as the refused attempt: the message prepared before it is kept.
    expect(Buffer.from(mailer.sent[0]?.raw ?? []).equals(Buffer.from(mailer.attempts[0]?.raw ?? []))).toBe(
      true,
    );
    expect(await leads.get(THREAD)).toMatchObject({ state: "sent", attempts: 2 });
    const history = (await journal.list(THREAD, 50)).map((e) =>
      e.kind === "decision" ? [e.trigger, e.leadReason, e.actor] : [e.kind],
    );
    expect(history).toContainEqual(["chat_closed", "failed", null]);
    expect(history).toContainEqual(["owner_retry", "sent", "owner"]);
  });

  it("keeps repeated answers of the page and the sweeper out of the history, and every owner action in", async () => {
    const journal = createInMemoryLeadJournal();
    const { service } = await setup({
      journal,
      summarizer: createFixedSummarizer(sampleSummary({ handoff_ready: false, missing: ["name"] })),
    });
    for (let i = 0; i < 3; i++) await service.sweep(THREAD);
    await service.handle({ threadId: THREAD, reason: "owner", actor: "owner" });
    await service.handle({ threadId: THREAD, reason: "owner", actor: "owner" });
    const history = (await journal.list(THREAD, 50)).map((e) =>
      e.kind === "decision" ? `${e.trigger}:${e.leadReason}:${e.detail}` : e.kind,
    );
    expect(history).toEqual(["sweep:not_ready:name", "owner:not_ready:name", "owner:not_ready:name"]);
  });

  it("sends a lead that is not ready (or without contact) only on send anyway", async () => {
    const { service, mailer } = await setup({
      summarizer: createFixedSummarizer(sampleSummary({ handoff_ready: false, missing: ["vehicle"] })),
    });
    expect(await service.handle({ threadId: THREAD, reason: "owner", actor: "owner" })).toMatchObject({
      lead_reason: "not_ready",
    });
    expect(mailer.sent).toHaveLength(0);
    expect(await service.handle({ threadId: THREAD, reason: "owner_anyway", actor: "owner" })).toMatchObject({
      lead_reason: "sent",
    });
    expect(mailer.sent).toHaveLength(1);
  });

  it("keeps the email going when the history cannot be written", async () => {
    const journal = createInMemoryLeadJournal();
    journal.breakWrites();
    const { service, mailer, logger } = await setup({ journal });
    expect(await service.handle({ threadId: THREAD, reason: "chat_closed", userId: OWNER })).toMatchObject({
      lead_reason: "sent",
    });
    expect(mailer.sent).toHaveLength(1);
    expect(logger.at("warn").some((e) => e.message.includes("history"))).toBe(true);
  });
});
