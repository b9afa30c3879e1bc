/** The time source. Tests drive it; production uses the system clock. */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };
