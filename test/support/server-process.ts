import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

const ENTRY = join(import.meta.dirname, "../../src/entry/server.ts");

/** One JSON log line of the server. */
export interface LogLine {
  msg: string;
  level: number;
  [field: string]: unknown;
}

/** `npm start` as a child process, with its log lines and how it ended. */
export interface ServerProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  logs: LogLine[];
  stderr: () => string;
  /** Exit code or signal, and when (performance.now()) the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/**
 * Starts `src/entry/server.ts` on a free port over `dataDir`, as `npm start` would, and resolves at
 * its ready line (rejects with its stderr when it exits first).
 */
export async function startServerProcess(
  dataDir: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", ...nodeArgs, ENTRY], {
    env: { ...process.env, PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  const logs: LogLine[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      const entry = JSON.parse(line) as LogLine;
      logs.push(entry);
      if (entry.msg.startsWith("lead-handoff ready")) resolve(Number(new URL(String(entry.url)).port));
    });
    void exited.then(({ code }) => reject(new Error(`server exited (${code}) before ready: ${stderr}`)));
  });
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, logs, stderr: () => stderr, exited };
}
