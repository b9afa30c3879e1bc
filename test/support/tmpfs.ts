import { execFileSync } from "node:child_process";
import {
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmdirSync,
  rmSync,
  statfsSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A tiny tmpfs mounted for one test file: a real disk that can be made full or read-only. */
export interface Tmpfs {
  /** The mount point. */
  readonly dir: string;
  /** Bytes a non-root writer could still use right now. */
  freeBytes(): number;
  /**
   * Fills the file system with `<dir>/.filler` until not one more byte fits, then gives back
   * `leaveBytes` (rounded up to whole pages by the kernel). Call {@link Tmpfs.unfill} to free it.
   */
  fill(leaveBytes?: number): void;
  /** Removes the filler. */
  unfill(): void;
  /** `mount -o remount,ro`: every write now fails with EROFS. */
  readOnly(): void;
  /** `mount -o remount,rw`. */
  readWrite(): void;
  /** Unmounts and removes the (then empty) mount point; call it in afterAll or afterEach. */
  unmount(): void;
}

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: ["ignore", "ignore", "pipe"] });
}

function describeFailure(error: unknown): string {
  const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
  return stderr || String(error);
}

/**
 * Mounts a fresh tmpfs of `size` (a mount option such as `256k` or `4m`) on a new folder under
 * the system temp dir, or on `at` (created when missing; say `<DATA_DIR>/blobs`, to fault one
 * part of a data folder). Needs root (the tests run as root); a failure to mount THROWS with a
 * clear message, so a suite that depends on it fails instead of silently skipping.
 */
export function mountTmpfs(size: string, options: { at?: string } = {}): Tmpfs {
  const dir = options.at ?? mkdtempSync(join(tmpdir(), "lead-handoff-tmpfs-"));
  mkdirSync(dir, { recursive: true });
  try {
    run("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0755`, "tmpfs", dir]);
  } catch (error) {
    rmdirSync(dir);
    throw new Error(
      `could not mount a ${size} tmpfs at ${dir}: ${describeFailure(error)}. ` +
        "The storage fault tests need root and the mount command (they run as root in CI).",
    );
  }
  const filler = join(dir, ".filler");
  return {
    dir,
    freeBytes() {
      const stats = statfsSync(dir);
      return stats.bavail * stats.bsize;
    },
    fill(leaveBytes = 0) {
      const fd = openSync(filler, "a");
      try {
        // Big chunks first, then ever smaller ones, until a single byte no longer fits.
        for (let chunk = 64 * 1024; chunk >= 1; ) {
          try {
            const written = writeSync(fd, Buffer.alloc(chunk, 0x55));
            if (written < chunk) chunk = Math.floor(chunk / 2);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
            chunk = Math.floor(chunk / 2);
          }
        }
        if (leaveBytes > 0) ftruncateSync(fd, Math.max(0, fstatSync(fd).size - leaveBytes));
      } finally {
        closeSync(fd);
      }
    },
    unfill() {
      rmSync(filler, { force: true });
    },
    readOnly() {
      run("mount", ["-o", "remount,ro", dir]);
    },
    readWrite() {
      run("mount", ["-o", "remount,rw", dir]);
    },
    unmount() {
      try {
        run("umount", [dir]);
      } catch (error) {
        // Still busy (a file left open): detach it anyway so no mount outlives the test run.
        run("umount", ["-l", dir]);
        throw new Error(`umount ${dir} failed (detached lazily instead): ${describeFailure(error)}`);
      } finally {
        rmdirSync(dir);
      }
    },
  };
}

/** Every file (not folder) under `dir`, dot files included, as sorted paths relative to it. */
export function listFilesRecursively(dir: string, under = ""): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(dir, under), { withFileTypes: true })) {
    const path = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFilesRecursively(dir, path));
    else files.push(path);
  }
  return files.sort();
}
