import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFsBlobStore } from "../../src/adapters/fs/blob-store.js";
import type { StoredAttachment } from "../../src/ports/thread-store.js";
import { createRetention, type RetentionOptions } from "../../src/services/retention.js";
import { sampleAttributionRecord } from "../contracts/attribution-store.contract.js";
import { runTokenStoreContract, sampleSmsLinkRecord } from "../contracts/token-store.contract.js";
import { createFakeClock } from "../support/fake-clock.js";
import {
  createInMemoryAttributionStore,
  createInMemoryLeadJournal,
  createInMemoryLeadStore,
  createInMemoryThreadStore,
  createInMemoryTokenStore,
  createRecordingLogger,
} from "../support/in-memory-ports.js";
import { useTempDir } from "../support/use-temp-dir.js";

// The in-memory token store is only worth something if it behaves like the SQLite one.
runTokenStoreContract("in-memory", async () => ({
  store: createInMemoryTokenStore(),
  teardown: async () => {},
}));

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe("retention", () => {
  const temp = useTempDir("retention-");

  /** Retention over in-memory stores and the real fs blob store, on a fake clock. */
  function setup(overrides: Partial<RetentionOptions> = {}) {
    const clock = createFakeClock();
    const threads = createInMemoryThreadStore();
    const attribution = createInMemoryAttributionStore({ now: clock.now });
    const tokens = createInMemoryTokenStore();
    const blobs = createFsBlobStore({ root: join(temp.dir, "blobs") });
    const logger = createRecordingLogger();
    const leads = createInMemoryLeadStore();
    const retention = createRetention({
      threads,
      attribution,
      tokens,
      leads,
      blobs,
      clock,
      logger,
      ...overrides,
    });
    const fileOf = (key: string) => join(temp.dir, "blobs", key);

    /** An upload `ageMs` old (row and file); `threadId` set when it was sent in a message. */
    async function upload(id: string, ageMs: number, threadId: string | null = null) {
      const key = `chatkit-attachments/${id}.png`;
      await blobs.put(key, new Uint8Array([137, 80, 78, 71]), { contentType: "image/png" });
      const row: StoredAttachment = {
        id,
        userId: "user_1",
        threadId,
        name: `${id}.png`,
        mimeType: "image/png",
        type: "image",
        key,
        size: 4,
        previewUrl: `http://127.0.0.1:8787/api/attachments?id=${key}`,
        createdAt: clock.now() - ageMs,
      };
      await threads.saveAttachment(row);
      return row;
    }

    return { clock, threads, attribution, tokens, leads, blobs, logger, retention, fileOf, upload };
  }

  it("removes uploads never sent once they are a day old, row and file; younger and sent ones stay", async () => {
    const { clock, threads, retention, fileOf, upload, logger } = setup();
    const old = await upload("att_old", DAY_MS + 1000);
    const young = await upload("att_young", DAY_MS - HOUR_MS);
    const sent = await upload("att_sent", 30 * DAY_MS, "cthr_1");
    // Created with attachments.create, bytes never arrived: a row without a file.
    await threads.saveAttachment({ ...old, id: "att_pending", key: null, previewUrl: null });
    // A row whose file is already gone.
    await threads.saveAttachment({ ...old, id: "att_nofile", key: "chatkit-attachments/att_nofile.png" });

    const first = await retention.runOnce();
    expect(first).toMatchObject({ orphans: 3, attribution: 0, tokens: 0, failed: 0 });
    expect(existsSync(fileOf(old.key as string))).toBe(false);
    expect(existsSync(`${fileOf(old.key as string)}.type`)).toBe(false);
    for (const id of ["att_old", "att_pending", "att_nofile"])
      expect(await threads.getAttachment(id)).toBeNull();
    expect(existsSync(fileOf(young.key as string))).toBe(true);
    expect(await threads.getAttachment("att_young")).toEqual(young);
    expect(existsSync(fileOf(sent.key as string))).toBe(true);
    expect(await threads.getAttachment("att_sent")).toEqual(sent);
    expect(logger.at("info")).toEqual([
      {
        level: "info",
        fields: expect.objectContaining({ orphans: 3, attribution: 0, tokens: 0 }),
        message: "retention",
      },
    ]);

    clock.advance(2 * HOUR_MS);
    expect(await retention.runOnce()).toMatchObject({ orphans: 1 });
    expect(existsSync(fileOf(young.key as string))).toBe(false);
    expect(await threads.getAttachment("att_young")).toBeNull();
    expect(existsSync(fileOf(sent.key as string))).toBe(true);
  });

  it("prunes expired history entries of the console and keeps live ones", async () => {
    const clock = createFakeClock();
    const journal = createInMemoryLeadJournal({ now: clock.now });
    const { retention } = setup({ journal, clock });
    const entry = (threadId: string, ttl: number) =>
      journal.append({
        kind: "decision",
        threadId,
        at: clock.now() - DAY_MS,
        ttl,
        trigger: "sweep",
        leadReason: "sent",
        actor: null,
        detail: null,
      });
    await entry("cthr_old", clock.now() - 1);
    await entry("cthr_live", clock.now() + DAY_MS);
    expect(await retention.runOnce()).toMatchObject({ journal: 1, failed: 0 });
    expect(await journal.list("cthr_live", 10)).toHaveLength(1);
    clock.advance(2 * DAY_MS);
    expect(await retention.runOnce()).toMatchObject({ journal: 1 });
  });

  it("honours orphanAgeMs", async () => {
    const { retention, upload, threads } = setup({ orphanAgeMs: HOUR_MS });
    await upload("att_2h", 2 * HOUR_MS);
    await upload("att_30m", HOUR_MS / 2);
    expect(await retention.runOnce()).toMatchObject({ orphans: 1 });
    expect(await threads.getAttachment("att_2h")).toBeNull();
    expect(await threads.getAttachment("att_30m")).not.toBeNull();
  });

  it("deletes expired SMS tokens and attribution rows and keeps live ones", async () => {
    const { clock, attribution, tokens, retention } = setup();
    const now = clock.now();
    const liveToken = sampleSmsLinkRecord({ createdAt: now, expiresAt: now + 7 * DAY_MS });
    const oldToken = sampleSmsLinkRecord({ createdAt: now - 8 * DAY_MS, expiresAt: now - DAY_MS });
    const liveRow = sampleAttributionRecord({ threadId: "cthr_live", createdAt: now, ttl: now + DAY_MS });
    const oldRow = sampleAttributionRecord({
      threadId: "cthr_old",
      createdAt: now - 200 * DAY_MS,
      ttl: now - 1,
    });
    await tokens.put(liveToken);
    await tokens.put(oldToken);
    await attribution.put(liveRow);
    await attribution.put(oldRow);

    expect(await retention.runOnce()).toMatchObject({ tokens: 1, attribution: 1, orphans: 0, failed: 0 });
    expect(await tokens.get(oldToken.token)).toBeNull();
    expect(await tokens.get(liveToken.token)).toEqual(liveToken);
    expect(await attribution.get("cthr_live")).toEqual(liveRow);
    // Gone for good, not just hidden: a later prune finds nothing more to remove.
    expect(await attribution.prune(now, 10)).toBe(0);

    // A week later the live token has expired too.
    clock.advance(7 * DAY_MS);
    expect(await retention.runOnce()).toMatchObject({ tokens: 1, attribution: 1 });
    expect(await tokens.get(liveToken.token)).toBeNull();
  });

  it("deletes lead send rows past their ttl with their prepared messages' files; live ones stay", async () => {
    const { clock, leads, blobs, retention, fileOf } = setup();
    const now = clock.now();
    for (const [threadId, ttl] of [
      ["cthr_old", now - 1],
      ["cthr_live", now + DAY_MS],
    ] as const) {
      const { record } = await leads.acquireLease({
        threadId,
        leaseId: "l",
        now: now - 1_000,
        leaseExpiresAt: now,
        ttl,
      });
      const emailKey = `lead-emails/${threadId}.eml`;
      await blobs.put(emailKey, new Uint8Array([1, 2, 3]), { contentType: "message/rfc822" });
      await leads.prepare({
        threadId,
        leaseId: record.leaseId,
        emailKey,
        messageId: "<m>",
        subject: "s",
        coveredThrough: null,
      });
    }
    expect(await retention.runOnce()).toMatchObject({ leads: 1, failed: 0 });
    expect(await leads.get("cthr_old")).toBeNull();
    expect(existsSync(fileOf("lead-emails/cthr_old.eml"))).toBe(false);
    expect(await leads.get("cthr_live")).not.toBeNull();
    expect(existsSync(fileOf("lead-emails/cthr_live.eml"))).toBe(true);
  });

  it("works in bounded batches: at most maxPerRun of each kind per run, the rest next run", async () => {
    const { clock, tokens, retention, upload, threads } = setup({ batchSize: 2, maxPerRun: 3 });
    const now = clock.now();
    for (let i = 0; i < 5; i++)
      await tokens.put(sampleSmsLinkRecord({ createdAt: 0, expiresAt: now - i - 1 }));
    for (let i = 0; i < 5; i++) await upload(`att_${i}`, 2 * DAY_MS + i);
    const calls: number[] = [];
    const listOrphans = threads.listOrphanAttachments.bind(threads);
    threads.listOrphanAttachments = async (before, limit) => {
      calls.push(limit);
      return listOrphans(before, limit);
    };

    expect(await retention.runOnce()).toMatchObject({ tokens: 3, orphans: 3 });
    expect(calls.every((limit) => limit <= 2)).toBe(true);
    expect(await retention.runOnce()).toMatchObject({ tokens: 2, orphans: 2 });
    expect(await retention.runOnce()).toMatchObject({ tokens: 0, orphans: 0 });
  });

  it("logs nothing when nothing was removed", async () => {
    const { retention, logger, upload } = setup();
    await upload("att_fresh", 1000);
    expect(await retention.runOnce()).toMatchObject({ tokens: 0, attribution: 0, orphans: 0, failed: 0 });
    expect(logger.entries).toEqual([]);
  });

  it("a failing store is logged and counted; the other kinds are still cleaned and runOnce resolves", async () => {
    const { clock, attribution, tokens, retention, upload, logger, blobs, threads } = setup();
    attribution.prune = async () => {
      throw new Error("disk I/O error");
    };
    await tokens.put(sampleSmsLinkRecord({ createdAt: 0, expiresAt: clock.now() - 1 }));
    const stuck = await upload("att_stuck", 2 * DAY_MS);
    await upload("att_fine", 2 * DAY_MS - 1);
    const remove = blobs.delete.bind(blobs);
    blobs.delete = async (key) => {
      if (key === stuck.key) throw new Error("EACCES");
      return remove(key);
    };

    expect(await retention.runOnce()).toMatchObject({ attribution: 0, tokens: 1, orphans: 1, failed: 2 });
    // The file could not go, so the row stays: the next run tries again.
    expect(await threads.getAttachment("att_stuck")).not.toBeNull();
    expect(await threads.getAttachment("att_fine")).toBeNull();
    expect(logger.at("error").map((entry) => entry.message)).toEqual([
      "retention could not prune",
      "retention could not remove an unsent upload",
    ]);
  });

  it("leaves an upload alone that was sent in a message after it was listed", async () => {
    const { retention, upload, threads, fileOf } = setup();
    const row = await upload("att_late", 2 * DAY_MS);
    const list = threads.listOrphanAttachments.bind(threads);
    threads.listOrphanAttachments = async (before, limit) => {
      const listed = await list(before, limit);
      // The customer sends it right now, between the listing and the delete.
      await threads.saveAttachment({ ...row, threadId: "cthr_1" });
      return listed;
    };
    expect(await retention.runOnce()).toMatchObject({ orphans: 0 });
    expect(await threads.getAttachment("att_late")).toMatchObject({ threadId: "cthr_1" });
    expect(existsSync(fileOf(row.key as string))).toBe(true);
  });
});
