/**
 * A keyed rate limiter (GCRA, the token bucket expressed as one timestamp per key): `limit`
 * requests may burst at once, then one more every `windowMs / limit`. Pure: the caller passes
 * `now`, so tests drive time and the HTTP layer uses its clock.
 */

/** `limit` requests per `windowMs`. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions extends RateLimitRule {
  /**
   * Most keys remembered. Past it the least recently used key is forgotten (which only ever lets
   * that key start afresh), so a flood of distinct IPs cannot grow memory without bound.
   * @default 10000
   */
  maxKeys?: number;
}

/** The answer for one request. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Requests still allowed right now after this one (0 when refused). */
  remaining: number;
  /** When refused: milliseconds until a retry can succeed; 0 when allowed. */
  retryAfterMs: number;
}

/** A rate limiter keyed by strings such as `ip:203.0.113.7` or `user:<id>`. */
export interface RateLimiter {
  readonly rule: RateLimitRule;
  /** Keys currently remembered (for tests and metrics). */
  readonly size: number;
  /**
   * Counts one request against every key given. All or nothing: when any key is over its
   * limit, none is charged, so a refused request does not eat another key's allowance.
   */
  take(keys: string | readonly string[], now: number): RateLimitDecision;
}

const MINUTE = 60_000;

/** The shipped defaults; config may override each. */
export const DEFAULT_RATE_LIMITS = {
  /** POST /api/chatkit/session per IP. */
  sessionsPerIp: { limit: 30, windowMs: 10 * MINUTE },
  /** Chat messages per user. */
  messagesPerUser: { limit: 30, windowMs: MINUTE },
  /** Chat messages per IP (several visitors may share one NAT). */
  messagesPerIp: { limit: 120, windowMs: MINUTE },
  /** Uploads per user. */
  uploadsPerUser: { limit: 20, windowMs: 10 * MINUTE },
} as const satisfies Record<string, RateLimitRule>;

// Opportunistic cleanup per call: enough to keep up with arrivals, cheap enough to not matter.
const SWEEP_PER_CALL = 8;
// windowMs / limit is often fractional (1000 / 3): forgive float dust so a full window always refills.
const EPSILON_MS = 1e-6;

/** Creates an in-memory limiter (per process; a multi-instance deployment limits per instance). */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit, windowMs } = options;
  const maxKeys = options.maxKeys ?? 10_000;
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`limit must be a whole number >= 1, got ${limit}`);
  if (!(windowMs > 0)) throw new Error(`windowMs must be positive, got ${windowMs}`);
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new Error(`maxKeys must be >= 1, got ${maxKeys}`);
  const interval = windowMs / limit;
  // key -> theoretical arrival time: the moment this key's bucket would be full again.
  // Map order is least recently touched first (we re-insert on every touch).
  const tats = new Map<string, number>();

  function sweep(now: number): void {
    let checked = 0;
    for (const [key, tat] of tats) {
      if (checked++ >= SWEEP_PER_CALL || tat > now) break;
      tats.delete(key); // a full bucket is the same as no entry
    }
  }

  return {
    rule: { limit, windowMs },
    get size() {
      return tats.size;
    },
    take(keys, now) {
      const list = typeof keys === "string" ? [keys] : [...new Set(keys)];
      sweep(now);
      let retryAfterMs = 0;
      let remaining = limit;
      const next: [string, number][] = [];
      for (const key of list) {
        const tat = Math.max(tats.get(key) ?? now, now) + interval;
        const ahead = tat - now;
        if (ahead - windowMs > EPSILON_MS) retryAfterMs = Math.max(retryAfterMs, ahead - windowMs);
        else remaining = Math.min(remaining, Math.floor((windowMs - ahead + EPSILON_MS) / interval));
        next.push([key, tat]);
      }
      if (retryAfterMs > 0) return { allowed: false, remaining: 0, retryAfterMs };
      for (const [key, tat] of next) {
        tats.delete(key);
        tats.set(key, tat);
      }
      while (tats.size > maxKeys) {
        const oldest = tats.keys().next().value as string;
        tats.delete(oldest);
      }
      return { allowed: true, remaining, retryAfterMs: 0 };
    },
  };
}

/** The abuse limits of the HTTP API, in requests per window; 0 turns one off. */
export interface RateLimitSettings {
  sessionsPerIpPer10Min: number;
  messagesPerUserPerMin: number;
  messagesPerIpPerMin: number;
  uploadsPerUserPer10Min: number;
}
