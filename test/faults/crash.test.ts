import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startServerProcess } from "../support/server-process.js";
import { startTestSmtpServer, type TestSmtpServer } from "../support/smtp.js";
import { makeTempDir, type TempDir } from "../support/temp-dir.js";
import { createVisitor } from "../support/visitor.js";

/**
 * A crash, not a shutdown: the real server (`node --import tsx src/entry/server.ts`) is killed with
 * SIGKILL while its sweeper waits for the mail server's answer to a lead email the mail server has
 * already taken in full. Nothing is released, nothing is flushed: what is on disk is what the
 * restarted process has. Real parts throughout: smtp-server on 127.0.0.1, the SQLite file in
 * DATA_DIR, the chat over HTTP with the local assistant.
 *
 * The outcome is unclear to the crashed process (the mail may or may not have arrived), so the
 * restart must send the lead again, and as the SAME message (byte-identical, same Message-ID), so
 * the owner's inbox shows it once. And only once: the restarted sweeper must not keep sending.
 */

/** LEAD_SEND_TIMEOUT_SECONDS: the attempt is still waiting when killed; the lease is twice this. */
const SEND_TIMEOUT_SECONDS = 30;

/** Resolves once `check` holds, polling; fails after `ms` with what it waited for. */
async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface SendRow {
  state: string;
  lease_expires_at: number;
  attempts: number;
  message_id: string | null;
  email_key: string | null;
}

// Two server starts, a chat and a sweeper retry: slow on a busy machine.
describe("a crash (SIGKILL) in the middle of a lead send", { timeout: 120_000 }, () => {
  let temp: TempDir;
  let smtp: TestSmtpServer | undefined;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGKILL");
        await gone;
      }
    }
    await smtp?.close();
    smtp = undefined;
    temp.remove();
  });

  it("the restarted server sends the lead exactly once more, as the same prepared message", async () => {
    smtp = await startTestSmtpServer("silent-after-data");
    const mail = smtp;
    const dataDir = join(temp.dir, "data");
    const dbPath = join(dataDir, "lead-handoff.sqlite");
    const env = {
      MAILER: "smtp",
      SMTP_URL: mail.url,
      LEAD_SEND_TIMEOUT_SECONDS: String(SEND_TIMEOUT_SECONDS),
      LEAD_IDLE_DELAY_SECONDS: "0",
      LEAD_SWEEP_INTERVAL_SECONDS: "1",
    };
    const start = async () => {
      const running = await startServerProcess(dataDir, env);
      children.push(running.child);
      return running;
    };
    const readRow = (threadId: string): SendRow | undefined => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return db
          .prepare<[string], SendRow>(
            "SELECT state, lease_expires_at, attempts, message_id, email_key FROM lead_sends WHERE thread_id = ?",
          )
          .get(threadId);
      } finally {
        db.close();
      }
    };

    // The chat to a ready lead; the sweeper (idle delay 0, every second) sends it on its own.
    const first = await start();
    const visitor = createVisitor(first.baseUrl);
    const threadId = await visitor.start("Hi! The driver seat on my 2012 Honda Civic is torn");
    await visitor.say(threadId, "I'm Maria Lopez, 512-555-0123, text is best");
    await until(() => mail.received.length === 1, 20_000, "the mail server to receive the lead email");

    // The whole message is at the mail server, its answer never comes; the process dies waiting.
    const killedAt = Date.now();
    first.child.kill("SIGKILL");
    expect(await first.exited).toMatchObject({ code: null, signal: "SIGKILL" });
    expect(mail.accepted).toHaveLength(0);

    const crashed = readRow(threadId);
    expect(crashed).toMatchObject({ state: "sending", attempts: 1 });
    // A live lease (twice the send timeout): a restart now would rightly wait for it.
    expect(crashed?.lease_expires_at).toBeGreaterThan(killedAt + SEND_TIMEOUT_SECONDS * 1000);
    expect(crashed?.message_id).toBeTruthy();
    // The message was fixed and kept before the attempt; what the mail server got is those bytes.
    const prepared = readFileSync(join(dataDir, "blobs", String(crashed?.email_key)));
    expect(mail.received[0]?.equals(prepared)).toBe(true);

    // Sixty seconds later, without waiting them out: the lease has expired. Moving the stored times
    // back by (lease expiry - now + 1 s) is exactly the state the clock would reach by then, for the
    // lease and for the thread's place on the sweeper's due list (still listed: the crashed pass
    // never settled it).
    const db = new Database(dbPath);
    try {
      const shift = Number(crashed?.lease_expires_at) - Date.now() + 1000;
      expect(
        db
          .prepare("UPDATE lead_sends SET lease_expires_at = lease_expires_at - ? WHERE thread_id = ?")
          .run(shift, threadId).changes,
      ).toBe(1);
      const listed = db
        .prepare("UPDATE lead_due SET due_at = due_at - ? WHERE thread_id = ?")
        .run(shift, threadId).changes;
      expect(listed, "the crashed send is still on the sweeper's due list").toBe(1);
    } finally {
      db.close();
    }

    // The mail server answers now; the process comes back on the same DATA_DIR, unchanged code.
    mail.behave("accept");
    const restarted = await start();
    await until(() => mail.accepted.length === 1, 20_000, "the restarted sweeper to resend the lead");
    await until(() => readRow(threadId)?.state === "sent", 5_000, "the lead to be marked sent");

    expect(mail.accepted).toHaveLength(1);
    expect(mail.received).toHaveLength(2); // the crashed attempt and the resend
    // The resend is the prepared message: byte for byte, so the same Message-ID and the same body.
    for (const message of mail.received)
      expect(message.equals(mail.received[0] as Buffer), "a resend differs from the first attempt").toBe(
        true,
      );
    const delivered = await simpleParser(mail.accepted[0] as Buffer);
    expect(delivered.messageId).toBe(crashed?.message_id);
    expect(delivered.text).toContain("512-555-0123");
    expect(readRow(threadId)).toMatchObject({ state: "sent", attempts: 2, message_id: crashed?.message_id });

    // A few more sweeper passes (one a second) send nothing more.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(mail.received).toHaveLength(2);
    expect(mail.accepted).toHaveLength(1);
    expect(readRow(threadId)?.state).toBe("sent");
    expect(restarted.child.exitCode).toBeNull(); // still running: the quiet is the sweeper's, not a crash
  });
});
