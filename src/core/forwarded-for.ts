/**
 * Which client a request comes from, read from `X-Forwarded-For` only as far as our own proxies
 * vouch for it. Every proxy appends the address it saw to the right of the header, so the right-most
 * entry was written by the nearest proxy, the one before it by the next, and so on; anything further
 * left came from the client and is whatever the client chose to send.
 */

/** Longest entry taken as an address (the longest IPv6 text, bracketed, with a port, is 53 characters). */
const MAX_ADDRESS_CHARS = 64;

/**
 * The client address that `trustedHops` proxies in front of us vouch for: the `trustedHops`-th
 * entry of `X-Forwarded-For` counted from the right (1 = the right-most, written by the nearest
 * proxy). `null` when no hop is trusted (0), the header is absent, it has fewer entries than that,
 * or the entry is empty or too long to be an address: the caller then uses the socket's address.
 */
export function forwardedClientAddress(
  header: string | null | undefined,
  trustedHops: number,
): string | null {
  if (!header || !Number.isInteger(trustedHops) || trustedHops < 1) return null;
  const entries = header.split(",");
  if (entries.length < trustedHops) return null;
  const entry = entries[entries.length - trustedHops]?.trim() ?? "";
  if (entry === "" || entry.length > MAX_ADDRESS_CHARS) return null;
  return entry;
}
