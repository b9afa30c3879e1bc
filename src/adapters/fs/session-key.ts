import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Options of {@link loadOrCreateSessionKey}. */
export interface SessionKeyOptions {
  /** `SESSION_SECRET` when set (at least 32 characters); wins over the key file. */
  secret: string | null;
  /** `DATA_DIR`: where `session.key` lives on the embedded default. */
  dataDir: string;
}

const KEY_BYTES = 32;
const MIN_SECRET_CHARS = 32;

/**
 * The HMAC key: `SESSION_SECRET` when set, else 32 random bytes generated once into
 * `<dataDir>/session.key` (hex, mode 0600) and reused, so secrets survive a restart and every
 * process sharing DATA_DIR (server, CLI) agrees on the key.
 */
export function loadOrCreateSessionKey(options: SessionKeyOptions): Uint8Array {
  if (options.secret) {
    if (options.secret.length < MIN_SECRET_CHARS)
      throw new Error(`SESSION_SECRET must be at least ${MIN_SECRET_CHARS} characters`);
    return new TextEncoder().encode(options.secret);
  }
  const path = join(options.dataDir, "session.key");
  const existing = readKeyFile(path);
  if (existing) return existing;
  mkdirSync(options.dataDir, { recursive: true });
  // Write a temp file, then link it into place: link fails if the key exists, so two processes
  // starting together never both win, and nobody ever reads a half-written key.
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  // The temp goes in every case: after the link it is a second name, after a failed (say, disk
  // full) write a partial file.
  try {
    writeFileSync(temp, `${randomBytes(KEY_BYTES).toString("hex")}\n`, { mode: 0o600 });
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Never there (the write failed to create it) or not removable: the original error matters more.
    }
  }
  const key = readKeyFile(path);
  if (!key) throw new Error(`${path} is not a valid session key`);
  return key;
}

function readKeyFile(path: string): Uint8Array | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  // A damaged key file stops the start instead of being silently replaced.
  if (!/^[0-9a-f]{64}$/i.test(text))
    throw new Error(
      `${path} is not a valid session key (expected 64 hex characters); delete it to regenerate`,
    );
  return new Uint8Array(Buffer.from(text, "hex"));
}
