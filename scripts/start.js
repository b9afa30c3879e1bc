/**
 * `npm start`: runs the compiled server (dist/server/server.mjs) with plain node, building it first
 * when it is missing or older than the sources (`npm run build -- server`, a few seconds). Under
 * tsx the same server takes about a second longer to start.
 *
 * The server runs as a child process so that glibc reads `MALLOC_ARENA_MAX=1` when it starts
 * (set unless the environment sets it already): downscaling photos then keeps one malloc arena
 * instead of one per thread, about 40 MB less at the peak. It also gets {@link YOUNG_GENERATION}
 * ahead of any NODE_OPTIONS of its own (a later value there wins). Plain JavaScript with node
 * built-ins only, so the check costs a few milliseconds and no TypeScript loader.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const SERVER = join(ROOT, "dist/server/server.mjs");
// Written by scripts/server-build.ts with the time its build started.
const STAMP = join(ROOT, "dist/server/.stamp");
/**
 * What the build reads: a newer file (or folder, for a deleted file) means a rebuild. Packages are
 * bundled too, so an install (npm's record of what is in node_modules) counts as a change.
 */
const SOURCES = [
  "src",
  "web",
  "scripts/server-build.ts",
  "scripts/bundle-options.ts",
  "package.json",
  "package-lock.json",
  "node_modules/.package-lock.json",
  "tsconfig.json",
];
/**
 * V8's young generation capped at 4 MB per semi-space. Left alone, V8 sizes it from the machine's
 * memory (16 MB semi-spaces, up to 32 MB resident, on a host with more than 2 GB) and a server
 * grows into it. Capped, sending one email with ten 8 MB photos peaks about 3 MB lower compiled and
 * 17 MB lower under tsx (bench/peak-rss.ts), and a server after a burst of 50 visitors holds about
 * 20 MB less, for about twice as many (small) scavenges. The Dockerfile sets the same; on Lambda
 * the runtime sizes the heap from the function's memory and is left to do so.
 */
const YOUNG_GENERATION = "--max-semi-space-size=4";
/** Two copies of one signal this close together are one event (see {@link forwardSignals}). */
const SAME_SIGNAL_MS = 100;

/** Modification time in ms, or -1 when the path is absent. */
function mtimeOf(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** The newest modification time of `path` and, for a folder, of everything below it. */
function newestUnder(path) {
  let newest = mtimeOf(path);
  let entries = [];
  try {
    entries = readdirSync(path, { recursive: true });
  } catch {
    return newest; // a file, or absent
  }
  for (const entry of entries) newest = Math.max(newest, mtimeOf(join(path, entry)));
  return newest;
}

/** True when the compiled server is missing or a source changed after its build started. */
function isStale() {
  const built = mtimeOf(STAMP);
  if (built < 0 || mtimeOf(SERVER) < 0) return true;
  return SOURCES.some((source) => newestUnder(join(ROOT, source)) > built);
}

function buildServer() {
  console.error(
    "lead-handoff: building the server (dist/server), a one-off after each change of src/ or web/",
  );
  const build = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/build.ts"), "server"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (build.status !== 0) {
    console.error("lead-handoff: the server build failed (see above)");
    process.exit(build.status ?? 1);
  }
}

/**
 * The child runs in a process group of its own, so a terminal's Ctrl-C reaches it once, through
 * here: npm forwards the signal it gets as well, and the server reads a second one as "exit now".
 * Copies of one signal within {@link SAME_SIGNAL_MS} are therefore forwarded once; a second Ctrl-C
 * pressed on purpose comes later and is forwarded too.
 */
function forwardSignals(child) {
  const last = new Map();
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
      const now = Date.now();
      if (now - (last.get(signal) ?? Number.NEGATIVE_INFINITY) < SAME_SIGNAL_MS) return;
      last.set(signal, now);
      child.kill(signal);
    });
  }
}

if (isStale()) buildServer();
const child = spawn(process.execPath, [...process.execArgv, SERVER, ...process.argv.slice(2)], {
  cwd: process.cwd(),
  env: {
    MALLOC_ARENA_MAX: "1",
    ...process.env,
    NODE_OPTIONS: [YOUNG_GENERATION, process.env.NODE_OPTIONS].filter(Boolean).join(" "),
  },
  stdio: ["ignore", "inherit", "inherit"],
  detached: true,
});
forwardSignals(child);
child.on("exit", (code, signal) => {
  // Exit as the server did: its code, or the same signal.
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exit(code ?? 1);
  }
});
