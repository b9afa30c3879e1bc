import type { Clock } from "../../src/ports/clock.js";

/** A clock the test moves by hand. */
export interface FakeClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

/** Starts at `start` (epoch ms) and only moves when told to. */
export function createFakeClock(start = Date.parse("2026-11-25T12:00:00Z")): FakeClock {
  let now = start;
  return {
    now: () => now,
    set: (ms) => {
      now = ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}
