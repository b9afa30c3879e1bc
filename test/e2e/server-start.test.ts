import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir } from "../support/temp-dir.js";

const ENTRY = join(import.meta.dirname, "../../src/entry/server.ts");

function start(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", ENTRY], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs the server until it exits: its exit code and what it wrote to stderr. */
async function startUntilExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = start(env);
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, stderr: stderr.trim() };
}

describe("npm start (src/entry/server.ts)", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let child: ChildProcess | undefined;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => {
    child?.kill("SIGTERM");
    temp.remove();
  });

  it("honours PORT and DATA_DIR, logs one ready line with the URLs, and answers /healthz", async () => {
    child = start({ PORT: "0", DATA_DIR: join(temp.dir, "data") });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    let ready: { msg: string; url: string; outbox: string; api: string } | undefined;
    for await (const line of lines) {
      const entry = JSON.parse(line) as { msg: string; url: string; outbox: string; api: string };
      if (entry.msg.startsWith("lead-handoff ready")) {
        ready = entry;
        break;
      }
    }
    expect(ready?.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(ready?.outbox).toBe(`${ready?.url}/outbox`);
    expect(ready?.api).toBe(`${ready?.url}/lead`);
    const port = new URL(String(ready?.url)).port;
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const outbox = await fetch(`http://127.0.0.1:${port}/outbox`);
    expect(outbox.status).toBe(200);
  });

  it("stops with one line when its port is taken", async () => {
    const taken = createServer().listen(0);
    await once(taken, "listening");
    const { port } = taken.address() as AddressInfo;
    try {
      expect(await startUntilExit({ PORT: String(port), DATA_DIR: join(temp.dir, "data") })).toEqual({
        code: 1,
        stderr: `lead-handoff: port ${port} is in use by another program: stop it or set PORT to another port`,
      });
    } finally {
      taken.close();
    }
  });

  it("stops with one line naming a bad variable", async () => {
    expect(await startUntilExit({ PORT: "abc", DATA_DIR: join(temp.dir, "data") })).toEqual({
      code: 1,
      stderr: 'lead-handoff: PORT="abc" is not valid: expected a whole number from 0 to 65535',
    });
  });
});
