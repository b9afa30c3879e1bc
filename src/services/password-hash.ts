import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import {
  DEFAULT_SCRYPT_PARAMS,
  formatPasswordHash,
  type PasswordHash,
  parsePasswordHash,
} from "../core/password-hash.js";

function derive(password: string, salt: Uint8Array, length: number, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, length, params, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Node refuses `128 * N * r` above `maxmem` (32 MiB by default, exactly the default cost): leave room. */
function options(hash: Pick<PasswordHash, "n" | "r" | "p">): ScryptOptions {
  return { N: hash.n, r: hash.r, p: hash.p, maxmem: 256 * hash.n * hash.r + 1024 * 1024 };
}

/**
 * Hashes a password with scrypt (node:crypto) and a random salt, in the text form
 * `scrypt$N$r$p$salt$hash` that `OWNER_PASSWORD_HASH` takes. The password is NFC-normalized, so
 * the same characters typed on another keyboard still match.
 */
export async function hashPassword(password: string): Promise<string> {
  const { n, r, p, saltBytes, keyBytes } = DEFAULT_SCRYPT_PARAMS;
  const salt = randomBytes(saltBytes);
  const hash = await derive(password, salt, keyBytes, options({ n, r, p }));
  return formatPasswordHash({ n, r, p, salt, hash });
}

/** Whether `password` matches `hash` (parsed, or its text form); the keys are compared in constant time. */
export async function verifyPassword(password: string, hash: PasswordHash | string): Promise<boolean> {
  const parsed = typeof hash === "string" ? parsePasswordHash(hash) : hash;
  if (!parsed) return false;
  const candidate = await derive(password, parsed.salt, parsed.hash.length, options(parsed));
  return timingSafeEqual(candidate, parsed.hash);
}
