import { describe, expect, it } from "vitest";
import { createLeadSweeper } from "../../src/services/lead-sweeper.js";
import { createFakeClock } from "../support/fake-clock.js";
import { createInMemoryLeadStore, createRecordingLogger } from "../support/in-memory-ports.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** A sweeper with nothing due, whose housekeeping counts its runs (or fails as told). */
function setup(fail: (() => Promise<unknown>) | null = null) {
  const clock = createFakeClock();
  const logger = createRecordingLogger();
  const store = createInMemoryLeadStore();
  const housekeeping = {
    runs: 0,
    async runOnce() {
      housekeeping.runs++;
      if (fail) return fail();
      return { orphans: 0 };
    },
  };
  const sweeper = createLeadSweeper({
    handoff: {
      sweep: async () => {
        throw new Error("nothing is due in these tests");
      },
    },
    store,
    clock,
    logger,
    housekeeping,
  });
  return { clock, logger, store, housekeeping, sweeper };
}

describe("lead sweeper housekeeping", () => {
  it("runs at the end of the first pass, then at most once an hour by the sweeper's clock", async () => {
    const { clock, housekeeping, sweeper } = setup();
    await sweeper.runOnce();
    expect(housekeeping.runs).toBe(1);
    await sweeper.runOnce();
    clock.advance(59 * MINUTE_MS);
    await sweeper.runOnce();
    expect(housekeeping.runs).toBe(1);
    clock.advance(MINUTE_MS);
    await sweeper.runOnce();
    expect(housekeeping.runs).toBe(2);
    clock.advance(30 * MINUTE_MS);
    await sweeper.runOnce();
    expect(housekeeping.runs).toBe(2);
    clock.advance(3 * HOUR_MS);
    await sweeper.runOnce();
    await sweeper.runOnce();
    expect(housekeeping.runs).toBe(3);
  });

  it("runs after the pass's own work: a due thread is looked at first", async () => {
    const clock = createFakeClock();
    const store = createInMemoryLeadStore();
    const order: string[] = [];
    const sweeper = createLeadSweeper({
      handoff: {
        async sweep() {
          order.push("sweep");
          return { result: { lead_reason: "not_ready" } as never, nextCheckAt: null };
        },
      },
      store,
      clock,
      logger: createRecordingLogger(),
      housekeeping: {
        async runOnce() {
          order.push("housekeeping");
        },
      },
    });
    await store.schedule("cthr_1", clock.now() - 1);
    expect(await sweeper.runOnce()).toMatchObject({ looked: 1 });
    expect(order).toEqual(["sweep", "housekeeping"]);
  });

  it("a failing housekeeping is logged, never fails the pass, and waits its hour like a good one", async () => {
    const { clock, logger, housekeeping, sweeper } = setup(async () => {
      throw new Error("disk I/O error");
    });
    await expect(sweeper.runOnce()).resolves.toMatchObject({ looked: 0, failed: 0 });
    expect(housekeeping.runs).toBe(1);
    expect(logger.at("error")).toEqual([
      expect.objectContaining({
        message: "sweeper housekeeping failed",
        fields: expect.objectContaining({ err: "Error: disk I/O error" }),
      }),
    ]);
    clock.advance(10 * MINUTE_MS);
    await sweeper.runOnce();
    expect(housekeeping.runs).toBe(1);
    clock.advance(HOUR_MS);
    await expect(sweeper.runOnce()).resolves.toMatchObject({ failed: 0 });
    expect(housekeeping.runs).toBe(2);
  });

  it("a housekeeping that throws before returning a promise does not fail the pass either", async () => {
    const { clock, logger } = setup();
    const sweeper = createLeadSweeper({
      handoff: { sweep: async () => ({ result: {} as never, nextCheckAt: null }) },
      store: createInMemoryLeadStore(),
      clock,
      logger,
      housekeeping: {
        runOnce() {
          throw new Error("boom");
        },
      },
    });
    await expect(sweeper.runOnce()).resolves.toMatchObject({ looked: 0 });
    expect(logger.at("error").map((entry) => entry.message)).toEqual(["sweeper housekeeping failed"]);
  });

  it("passes joined while one runs share a single housekeeping run", async () => {
    const { housekeeping, sweeper } = setup();
    await Promise.all([sweeper.runOnce(), sweeper.runOnce(), sweeper.runOnce()]);
    expect(housekeeping.runs).toBe(1);
  });
});
