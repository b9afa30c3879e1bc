import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync, symlinkSync, utimesSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../support/temp-dir.js";

const ROOT = join(import.meta.dirname, "../..");

/** What `npm start` (scripts/start.sh) printed and how it ended. */
interface Launch {
  launcher: ChildProcess;
  baseUrl: string;
  logs: { msg: string }[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The server process, from /proc: the launcher itself, which became it (exec). */
function serverOf(launcher: ChildProcess): { cmdline: string[]; environ: string[]; children: string } {
  const pid = launcher.pid as number;
  const list = (file: string) => readFileSync(`/proc/${pid}/${file}`, "utf8").split("\0").filter(Boolean);
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
  return { cmdline: list("cmdline"), environ: list("environ"), children };
}

/**
 * `npm start` in a copy of the sources (so its build and the file times this test changes are its
 * own), with node_modules linked from the checkout.
 */
describe("npm start (scripts/start.sh)", () => {
  const temp = makeTempDir("npm-start-");
  const app = join(temp.dir, "app");
  beforeAll(() => {
    for (const path of ["scripts", "src", "web", "package.json", "tsconfig.json"])
      cpSync(join(ROOT, path), join(app, path), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(app, "node_modules"));
  });
  afterAll(() => temp.remove());

  /**
   * Runs the launcher as npm runs it (with npm's name for its node), or, with `viaNpm`, `npm start`
   * itself as a terminal would: in a process group of its own.
   */
  async function launch(env: Record<string, string> = {}, viaNpm = false): Promise<Launch> {
    const { MALLOC_ARENA_MAX: _, ...inherited } = process.env;
    const [command, args] = viaNpm ? ["npm", ["start"]] : ["sh", ["scripts/start.sh"]];
    const launcher = spawn(command, args, {
      cwd: app,
      env: {
        ...inherited,
        npm_node_execpath: process.execPath,
        PORT: "0",
        DATA_DIR: join(temp.dir, "data"),
        LOG_LEVEL: "info",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: viaNpm,
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
        if (!line.startsWith("{")) return; // the build's (or npm's) own lines
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

  it("stops cleanly on one Ctrl-C at a terminal, which reaches the server twice (the terminal's and npm's)", async () => {
    const run = await launch({}, true);
    // A request still arriving keeps the shutdown waiting, so npm's copy of the signal lands
    // while the server is stopping (an idle server would be gone before it came).
    const { port, pathname } = new URL(`${run.baseUrl}/lead`);
    const slow = request({ host: "127.0.0.1", port, path: pathname, method: "POST", agent: false });
    slow.setHeader("content-type", "application/json");
    slow.setHeader("connection", "close");
    const answered = new Promise<number>((resolve) => {
      slow.on("response", (res) => resolve(res.statusCode ?? 0));
      slow.on("error", () => resolve(0)); // the server went away without answering
    });
    slow.write("{");
    await new Promise((resolve) => setTimeout(resolve, 200));
    // A terminal's Ctrl-C: SIGINT to every process of the foreground group (npm, and the server).
    process.kill(-(run.launcher.pid as number), "SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 500));
    slow.end('"thread_id": "cthr_none"}');
    expect(await answered).toBeGreaterThanOrEqual(400);
    const ended = await run.exited;
    const messages = run.logs.map((l) => l.msg);
    expect(messages.filter((m) => m.startsWith("shutting down"))).toHaveLength(1);
    expect(messages).not.toContain("second signal during shutdown: exiting now");
    expect(messages).toContain("shutdown complete: every chat reply and lead send finished in time");
    // npm waits for the server and ends as it did.
    expect(ended).toEqual({ code: 0, signal: null });
  }, 180_000);

  it("stops the server when only npm is told to stop (a process manager running npm start)", async () => {
    const run = await launch({}, true);
    run.launcher.kill("SIGTERM"); // npm alone, not its process group
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.logs.map((l) => l.msg)).toContain(
      "shutdown complete: every chat reply and lead send finished in time",
    );
  }, 180_000);
});
