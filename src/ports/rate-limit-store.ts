import type { RateLimitDecision, RateLimitRule } from "../core/rate-limit.js";

/**
 * Counts requests per key, shared by every process that uses the same store: in-process memory
 * on the embedded default, a DynamoDB table on AWS (where each request may land on another Lambda).
 */
export interface RateLimitStore {
  /**
   * Counts one request for `key` under `rule` at `now` (epoch ms) and answers whether it is allowed.
   * At most `rule.limit` requests are allowed per `rule.windowMs` for one key, also when many
   * arrive at once; a refused answer says how long until a retry can succeed. Keys are opaque and
   * independent (callers prefix them with the limit's name).
   */
  take(key: string, rule: RateLimitRule, now: number): Promise<RateLimitDecision>;
}
