/**
 * The text form of an owner password hash (`OWNER_PASSWORD_HASH`): `scrypt$N$r$p$salt$hash`, with
 * the salt and the derived key in standard base64 (padding optional). `npx lead-handoff
 * hash-password` prints one. Pure: parsing and formatting only; the scrypt work is in
 * services/password-hash.ts (node:crypto).
 */

/** A parsed scrypt hash: the cost parameters, the salt and the key they derive from the password. */
export interface PasswordHash {
  /** CPU/memory cost, a power of two. */
  n: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

/** What `hash-password` uses: about 32 MiB and a few tens of milliseconds per attempt. */
export const DEFAULT_SCRYPT_PARAMS = { n: 2 ** 15, r: 8, p: 1, saltBytes: 16, keyBytes: 32 } as const;

/** The shape, for error messages and the README. */
export const PASSWORD_HASH_FORMAT = "scrypt$N$r$p$salt$hash (base64)";

// Below 2^10 a hash is too cheap to brute-force against; above 128 * N * r = 256 MiB a single
// login would exhaust a small server's memory.
const MIN_N = 2 ** 10;
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;
const B64 = /^[A-Za-z0-9+/]+={0,2}$/;
const WHOLE = /^[1-9]\d{0,9}$/;

function fromBase64(text: string): Uint8Array | null {
  if (!B64.test(text)) return null;
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  } catch {
    return null; // a length no base64 encoder produces
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Parses `scrypt$N$r$p$salt$hash`; null when anything is off: another scheme, N not a power of
 * two from 2^10, r or p out of range, more memory than 256 MiB, a salt under 8 bytes or a key
 * outside 16..64 bytes.
 */
export function parsePasswordHash(text: string): PasswordHash | null {
  const parts = text.trim().split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [, nText, rText, pText, saltText, hashText] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (![nText, rText, pText].every((part) => WHOLE.test(part))) return null;
  const [n, r, p] = [Number(nText), Number(rText), Number(pText)];
  if (n < MIN_N || (n & (n - 1)) !== 0 || r > 32 || p > 16 || 128 * n * r > MAX_MEMORY_BYTES) return null;
  const salt = fromBase64(saltText);
  const hash = fromBase64(hashText);
  if (!salt || !hash || salt.length < 8 || salt.length > 64 || hash.length < 16 || hash.length > 64)
    return null;
  return { n, r, p, salt, hash };
}

/** The text form of a hash, as {@link parsePasswordHash} reads it. */
export function formatPasswordHash(value: PasswordHash): string {
  return `scrypt$${value.n}$${value.r}$${value.p}$${toBase64(value.salt)}$${toBase64(value.hash)}`;
}
