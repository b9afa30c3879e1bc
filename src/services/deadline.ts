/** What {@link beforeDeadline} answers when the deadline came first. */
export const LATE: unique symbol = Symbol("late");

/**
 * `promise`'s value, or {@link LATE} when it has not settled within `ms` (a rejection within the
 * window rejects). The work itself goes on; only the wait ends. The timer never keeps the process
 * alive and is cleared as soon as the promise settles.
 */
export async function beforeDeadline<T>(promise: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), Math.max(0, ms));
    timer.unref();
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for `promise` to settle (fulfilled or rejected), or `ms` at most. */
export async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  await beforeDeadline(
    promise.then(
      () => {},
      () => {},
    ),
    ms,
  );
}
