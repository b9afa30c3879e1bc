/** Why the widget (or an operator) asked for a lead email: what `POST /lead` accepts. */
export const TRIGGER_REASONS = ["idle", "pagehide", "chat_closed", "manual", "sweep"] as const;
/**
 * The owner's console: `owner` sends now (no quiet window), `owner_anyway` also sends a lead the
 * rules call not ready (or without contact), `owner_retry` retries a failed send. Never accepted
 * from a page.
 */
export const OWNER_TRIGGERS = ["owner", "owner_anyway", "owner_retry"] as const;
export type OwnerTrigger = (typeof OWNER_TRIGGERS)[number];
export type TriggerReason = (typeof TRIGGER_REASONS)[number] | OwnerTrigger;

/** What POST /lead decided; also logged. */
export const LEAD_REASONS = [
  "sent",
  "already_sent",
  "in_progress",
  "cooling_down",
  "empty_thread",
  "missing_contact",
  "not_idle",
  "not_ready",
  "error",
  "failed",
] as const;
export type LeadReason = (typeof LEAD_REASONS)[number];

/**
 * Whether the server-side quiet window applies: always for `idle` and `sweep`, and for the other
 * triggers only when `requireIdleForAll` is set.
 */
export function idleGuardApplies(trigger: TriggerReason, requireIdleForAll: boolean): boolean {
  if (isOwnerTrigger(trigger)) return false;
  return trigger === "idle" || trigger === "sweep" || requireIdleForAll;
}

/** True for the console's triggers (the owner asked; no quiet window). */
export function isOwnerTrigger(trigger: TriggerReason): trigger is OwnerTrigger {
  return (OWNER_TRIGGERS as readonly string[]).includes(trigger);
}

/** True when the customer has been quiet for at least `idleDelayMs`. */
export function isQuietLongEnough(
  lastCustomerActivityAt: number | null,
  now: number,
  idleDelayMs: number,
): boolean {
  return lastCustomerActivityAt === null || now - lastCustomerActivityAt >= idleDelayMs;
}

const FIRST_COOL_DOWN_MS = 5 * 60_000;
const MAX_COOL_DOWN_MS = 60 * 60_000;

/** Cool-down after the n-th failed attempt (1-based): 5 min, doubling, capped at 1 h. */
export function coolDownMs(attempts: number): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(MAX_COOL_DOWN_MS, FIRST_COOL_DOWN_MS * 2 ** Math.min(exponent, 10));
}
