import { randomBytes } from "node:crypto";
import { ValidationError } from "../core/errors.js";
import type { ServiceCategory } from "../core/lead-summary.js";
import {
  isSmsLinkTokenShape,
  newSmsLinkExpiry,
  type SmsLinkRecord,
  smsDraftBody,
} from "../core/sms-draft.js";
import type { Clock } from "../ports/clock.js";
import type { TokenStore } from "../ports/token-store.js";

/** Options of {@link createSmsLinkService}. */
export interface SmsLinkServiceOptions {
  /** Where tokens live. */
  tokenStore: TokenStore;
  /** Decides expiry; tests drive it. */
  clock: Clock;
  /** Public origin (and optional path prefix) of this server, e.g. `https://chat.example.com`. */
  publicBaseUrl: string;
  /** How long a link works (`SMS_LINK_TOKEN_TTL_DAYS`). Config supplies the default, 7. */
  ttlDays: number;
  /** Signs the drafted reply: "Hi Maria, this is <shopName> about ...". */
  shopName: string;
}

/** Input of {@link SmsLinkService.create}. */
export interface CreateSmsLinkInput {
  threadId: string;
  /** E.164, e.g. `+15125550123`. */
  phone: string;
  customerName: string | null;
  /** Service category, worded into the draft. */
  service: ServiceCategory | null;
}

/** Result of {@link SmsLinkService.open}: 200 with the record, 404 unknown, 410 expired. */
export type OpenSmsLinkResult =
  | { status: 200; record: SmsLinkRecord }
  | { status: 404 | 410; record?: undefined };

/** Issues and opens click-safe "text the customer back" links. */
export interface SmsLinkService {
  /** How long links last, in days (for the expired page's wording). */
  readonly ttlDays: number;
  /** Stores a fresh token and returns the link `PUBLIC_BASE_URL/sms/<token>`. */
  create(input: CreateSmsLinkInput): Promise<string>;
  /** Reads a token. Never writes: mail scanners prefetch these links. */
  open(token: string): Promise<OpenSmsLinkResult>;
}

/** 18 bytes = 144 random bits, 24 base64url chars with no padding. */
const TOKEN_BYTES = 18;
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The SMS link use case. The URL carries only an opaque random token (no phone), so a forwarded
 * or logged email link reveals nothing until opened, and stops working after `ttlDays`.
 */
export function createSmsLinkService(options: SmsLinkServiceOptions): SmsLinkService {
  const { tokenStore, clock, ttlDays, shopName } = options;
  if (!(ttlDays > 0)) throw new ValidationError(`ttlDays must be positive, got ${ttlDays}`);
  const base = new URL(options.publicBaseUrl).href.replace(/\/+$/, "");

  return {
    ttlDays,
    async create(input) {
      if (!E164.test(input.phone)) {
        throw new ValidationError("SMS link needs an E.164 phone number", { code: "invalid_phone" });
      }
      const now = clock.now();
      const token = randomBytes(TOKEN_BYTES).toString("base64url");
      await tokenStore.put({
        token,
        threadId: input.threadId,
        phone: input.phone,
        customerName: input.customerName,
        body: smsDraftBody({ customerName: input.customerName, shopName, service: input.service }),
        createdAt: now,
        expiresAt: newSmsLinkExpiry(now, ttlDays),
      });
      return `${base}/sms/${token}`;
    },
    async open(token) {
      // Junk never reaches the store (and cannot probe it).
      if (!isSmsLinkTokenShape(token)) return { status: 404 };
      const record = await tokenStore.get(token);
      if (!record) return { status: 404 };
      // No record on 410: an expired link shows nothing about the customer.
      if (clock.now() >= record.expiresAt) return { status: 410 };
      return { status: 200, record };
    },
  };
}
