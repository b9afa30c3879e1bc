import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync, symlinkSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../support/temp-dir.js";

const ROOT = join(import.meta.dirname, "../..");

/** What `npm start` (scripts/start.js) printed and how it ended. */
interface Launch {
  launcher: ChildProcess;
  baseUrl: string;
  logs: { msg: string }[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The process scripts/start.js started (the server), from /proc. */
function serverOf(launcher: ChildProcess): { cmdline: string[]; environ: string[]; children: string } {
  const pid = Number(
    readFileSync(`/proc/${launcher.pid}/task/${launcher.pid}/children`, "utf8").trim().split(/\s+/)[0],
  );
  const list = (file: string) => readFileSync(`/proc/${pid}/${file}`, "utf8").split("\0").filter(Boolean);
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
  return { cmdline: list("cmdline"), environ: list("environ"), children };
}

/**
 * `npm start` in a copy of the sources (so its build and the file times this test changes are its
 * own), with node_modules linked from the checkout.
 */
describe("npm start (scripts/start.js)", () => {
  const temp = makeTempDir("npm-start-");
  const app = join(temp.dir, "app");
  beforeAll(() => {
    for (const path of ["scripts", "src", "web", "package.json", "tsconfig.json"])
      cpSync(join(ROOT, path), join(app, path), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(app, "node_modules"));
  });
  afterAll(() => temp.remove());

  async function launch(env: Record<string, string> = {}): Promise<Launch> {
    const { MALLOC_ARENA_MAX: _, ...inherited } = process.env;
    const launcher = spawn(process.execPath, ["scripts/start.js"], {
      cwd: app,
      env: { ...inherited, PORT: "0", DATA_DIR: join(temp.dir, "data"), LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    launcher.stderr?.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      launcher.on("exit", (code, signal) => resolve({ code, signal })),
    );
    const logs: { msg: string }[] = [];
    const baseUrl = await new Promise<string>((resolve, reject) => {
      createInterface({ input: launcher.stdout as NodeJS.ReadableStream }).on("line", (line) => {
        if (!line.startsWith("{")) return; // the build's own lines
        const entry = JSON.parse(line) as { msg: string; url?: string };
        logs.push(entry);
        if (entry.msg.startsWith("lead-handoff ready"))
          resolve(`http://127.0.0.1:${new URL(String(entry.url)).port}`);
      });
      void exited.then(({ code }) => reject(new Error(`npm start exited (${code}) before ready: ${stderr}`)));
    });
    return { launcher, baseUrl, logs, stderr: () => stderr, exited };
  }

  async function stop(run: Launch): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    run.launcher.kill("SIGTERM");
    return run.exited;
  }

  it("builds the missing server, runs it with plain node and MALLOC_ARENA_MAX=1, and stops it on SIGTERM", async () => {
    const run = await launch();
    try {
      expect(run.stderr()).toContain("building the server");
      expect(existsSync(join(app, "dist/server/server.mjs"))).toBe(true);
      const server = serverOf(run.launcher);
      expect(server.cmdline.slice(1)).toEqual([join(app, "dist/server/server.mjs")]);
      expect(server.cmdline.join(" ")).not.toContain("tsx");
      expect(server.environ).toContain("MALLOC_ARENA_MAX=1");
      // V8's young generation capped ahead of any NODE_OPTIONS the environment brings.
      expect(server.environ.find((v) => v.startsWith("NODE_OPTIONS="))).toMatch(
        /^NODE_OPTIONS=--max-semi-space-size=4(\s|$)/,
      );
      // The compiled server finds web/ as the sources do: the demo shop and the widget.
      expect((await fetch(`${run.baseUrl}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${run.baseUrl}/`)).text()).toContain("<html");
      const widget = await fetch(`${run.baseUrl}/widget.js`);
      expect(widget.status).toBe(200);
      const code = await widget.text();
      expect(code.length).toBeGreaterThan(1000);
      // The widget the build wrote next to the server, served as is: esbuild never ran in the
      // server (its build service would be a child process).
      expect(code).toBe(readFileSync(join(app, "dist/server/widget.js"), "utf8"));
      expect(serverOf(run.launcher).children).toBe("");
    } finally {
      // One SIGTERM reaches the server once: a clean shutdown, exit code 0.
      expect(await stop(run)).toEqual({ code: 0, signal: null });
    }
    expect(run.logs.map((l) => l.msg)).toContain(
      "shutdown complete: every chat reply and lead send finished in time",
    );
  }, 180_000);

  it("starts without building while nothing changed, and builds again after a source file changes", async () => {
    const fresh = await launch({ MALLOC_ARENA_MAX: "2" });
    try {
      expect(fresh.stderr()).not.toContain("building the server");
      // A value the environment sets is kept.
      expect(serverOf(fresh.launcher).environ).toContain("MALLOC_ARENA_MAX=2");
    } finally {
      await stop(fresh);
    }
    const later = new Date(Date.now() + 2_000);
    utimesSync(join(app, "src/core/errors.ts"), later, later);
    const rebuilt = await launch();
    try {
      expect(rebuilt.stderr()).toContain("building the server");
      expect((await fetch(`${rebuilt.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await stop(rebuilt);
    }
  }, 180_000);
});
