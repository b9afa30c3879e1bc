import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../../src/adapters/sqlite/database.js";
import { createSqliteLeadJournal } from "../../../src/adapters/sqlite/lead-journal.js";
import {
  runLeadJournalContract,
  sampleDecision,
  sampleOutcome,
} from "../../contracts/lead-journal.contract.js";
import { preparedWith, queryPlan, recordPreparedSql } from "../../support/query-plan.js";
import { makeTempDir } from "../../support/temp-dir.js";
import { mountTmpfs } from "../../support/tmpfs.js";

// Each contract test gets its database on a small tmpfs of its own, so "writes fail" is a real
// full disk: SQLite learns of it only when it commits, as in production.
runLeadJournalContract("sqlite (on a tmpfs)", async () => {
  const disk = mountTmpfs("2m");
  const db = openSqliteDatabase({ path: join(disk.dir, "test.sqlite") });
  return {
    journal: createSqliteLeadJournal({ db }),
    async breakWrites() {
      disk.fill();
    },
    async teardown() {
      db.close();
      disk.unmount();
    },
  };
});

describe("sqlite lead journal", () => {
  it("compares the ttl with the injected clock, survives a reopen, and never hands out an id twice", async () => {
    const temp = makeTempDir();
    const path = join(temp.dir, "data.sqlite");
    try {
      const first = openSqliteDatabase({ path });
      const older = await createSqliteLeadJournal({ db: first, now: () => 1 }).append(
        sampleDecision({ at: 1000, ttl: 4000 }),
      );
      const newest = await createSqliteLeadJournal({ db: first, now: () => 1 }).append(
        sampleOutcome({ at: 2000, ttl: 5000 }),
      );
      first.close();

      const db = openSqliteDatabase({ path });
      const at = (now: number) => createSqliteLeadJournal({ db, now: () => now });
      expect(await at(3999).list(older.threadId, 10)).toEqual([older, newest]);
      expect(await at(4000).list(older.threadId, 10)).toEqual([newest]);
      expect(await at(4999).listOutcomes({ since: 0, limit: 10 })).toEqual([newest]);
      expect(await at(5000).listOutcomes({ since: 0, limit: 10 })).toEqual([]);

      // Pruning the newest row does not free its id: the next append (same ms even) still comes after it.
      expect(await at(5000).prune(5000, 10)).toBe(2);
      const next = await at(1).append(sampleOutcome({ at: 2000, ttl: 9000 }));
      expect(next.id > newest.id).toBe(true);
      expect(next.id).toMatch(/^\d{16}$/);
      db.close();
    } finally {
      temp.remove();
    }
  });

  it("refuses a cursor that is not one of its ids", async () => {
    const db = openSqliteDatabase({ path: ":memory:" });
    const journal = createSqliteLeadJournal({ db });
    await expect(journal.listOutcomes({ since: 0, limit: 10, after: { at: 1, id: "x-1" } })).rejects.toThrow(
      /not an id of this journal/,
    );
    db.close();
  });

  it("reads a thread, the outcomes and the expired rows through indexes: no scan, no sort", () => {
    const db = openSqliteDatabase({ path: ":memory:" });
    const seen = recordPreparedSql(db);
    createSqliteLeadJournal({ db });

    const list = queryPlan(db, preparedWith(seen, "WHERE thread_id = ?"), ["cthr_a", 1000, 10]);
    expect(list).toContainEqual(
      expect.stringMatching(/^SEARCH lead_journal USING INDEX lead_journal_by_thread \(thread_id=\?\)/),
    );
    const outcomes = queryPlan(db, preparedWith(seen, "WHERE kind = 'outcome'"), [
      { since: 1000, now: 2000, afterAt: 1000, afterSeq: 0, limit: 10 },
    ]);
    expect(outcomes).toContainEqual(
      expect.stringMatching(/^SEARCH lead_journal USING INDEX lead_journal_outcomes \(/),
    );
    const prune = queryPlan(db, preparedWith(seen, "DELETE FROM lead_journal"), [1000, 100]);
    expect(prune).toContainEqual(
      expect.stringMatching(/^SEARCH lead_journal USING (COVERING )?INDEX lead_journal_ttl \(ttl<\?\)/),
    );
    for (const plan of [list, outcomes, prune]) {
      expect(plan.filter((line) => line.startsWith("SCAN"))).toEqual([]);
      expect(plan.filter((line) => line.includes("TEMP B-TREE"))).toEqual([]);
    }
    db.close();
  });

  it("keeps a row whole for its kind: a decision without its reason is refused by the table", () => {
    const db = openSqliteDatabase({ path: ":memory:" });
    createSqliteLeadJournal({ db });
    expect(() =>
      db
        .prepare(
          "INSERT INTO lead_journal (thread_id, at, kind, trigger, ttl) VALUES ('t', 1, 'decision', 'idle', 2)",
        )
        .run(),
    ).toThrow(/CHECK constraint/);
    db.close();
  });
});
