import { afterEach, beforeEach } from "vitest";
import { makeTempDir, type TempDir } from "./temp-dir.js";

/**
 * A fresh temporary folder for every test of the enclosing suite: made in `beforeEach`, removed
 * with its contents in `afterEach`. Read `dir` inside a test or a hook registered after this call.
 */
export function useTempDir(prefix?: string): { readonly dir: string } {
  let temp: TempDir | undefined;
  beforeEach(() => {
    temp = makeTempDir(prefix);
  });
  afterEach(() => {
    temp?.remove();
    temp = undefined;
  });
  return {
    get dir() {
      if (!temp) throw new Error("the temporary folder exists only while a test runs");
      return temp.dir;
    },
  };
}
