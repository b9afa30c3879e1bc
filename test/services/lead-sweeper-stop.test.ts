import { describe, expect, it } from "vitest";
import { createLeadSweeper } from "../../src/services/lead-sweeper.js";
import { createFakeClock } from "../support/fake-clock.js";
import { createInMemoryLeadStore, createRecordingLogger } from "../support/in-memory-ports.js";

describe("lead sweeper stop (shutdown)", () => {
  it("finishes the thread in hand, looks at no other, and starts no pass afterwards", async () => {
    const clock = createFakeClock();
    const store = createInMemoryLeadStore();
    for (const id of ["cthr_1", "cthr_2", "cthr_3"]) await store.schedule(id, clock.now() - 1);
    const looked: string[] = [];
    let release = () => {};
    const firstHeld = new Promise<void>((resolve) => {
      release = resolve;
    });
    const housekeeping = { runs: 0, runOnce: async () => housekeeping.runs++ };
    const sweeper = createLeadSweeper({
      handoff: {
        async sweep(threadId) {
          looked.push(threadId);
          if (threadId === "cthr_1") await firstHeld;
          return { result: { ok: true, lead_reason: "sent", thread_id: threadId }, nextCheckAt: null };
        },
      },
      store,
      clock,
      logger: createRecordingLogger(),
      housekeeping,
    });
    const pass = sweeper.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const stopped = sweeper.stop();
    release();
    await stopped;
    expect(await pass).toMatchObject({ looked: 1, sent: 1 });
    expect(looked).toEqual(["cthr_1"]);
    expect(housekeeping.runs).toBe(0);
    expect(await sweeper.runOnce()).toMatchObject({ looked: 0 });
    expect(looked).toEqual(["cthr_1"]);
    // The others stay due, for the next process.
    expect((await store.listDue(clock.now(), 10)).map((d) => d.threadId)).toEqual(["cthr_2", "cthr_3"]);
  });
});
