import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temporary folder and the function that removes it (with everything in it). */
export interface TempDir {
  dir: string;
  remove(): void;
}

/** A fresh temporary folder and a function that removes it. */
export function makeTempDir(prefix = "lead-handoff-"): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
