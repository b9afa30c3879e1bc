import { createRateLimiter, type RateLimiter } from "../../core/rate-limit.js";
import type { RateLimitStore } from "../../ports/rate-limit-store.js";

/** Options of {@link createMemoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /** Most keys remembered per rule (the least recently used is forgotten past it). @default 10000 */
  maxKeys?: number;
}

/**
 * Limits in this process's memory (the token bucket of core/rate-limit): right for one server;
 * a deployment on several machines or Lambdas needs a shared store (DynamoDB).
 */
export function createMemoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): RateLimitStore {
  const limiters = new Map<string, RateLimiter>();
  return {
    async take(key, rule, now) {
      const id = `${rule.limit}/${rule.windowMs}`;
      let limiter = limiters.get(id);
      if (!limiter) {
        limiter = createRateLimiter({ ...rule, ...(options.maxKeys ? { maxKeys: options.maxKeys } : {}) });
        limiters.set(id, limiter);
      }
      return limiter.take(key, now);
    },
  };
}
