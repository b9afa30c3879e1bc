import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { awsEnv, startDynalite } from "../support/aws-emulators.js";
import { type ServerProcess, startServerProcess } from "../support/server-process.js";
import { makeTempDir } from "../support/temp-dir.js";
import { createVisitor } from "../support/visitor.js";

const RECORDER = join(import.meta.dirname, "../support/record-imports.mjs");

/** What a server process loaded while starting and serving one chat turn. */
async function modulesLoaded(env: Record<string, string>): Promise<string[]> {
  const temp = makeTempDir();
  const list = join(temp.dir, "imports.txt");
  let server: ServerProcess | undefined;
  try {
    server = await startServerProcess(join(temp.dir, "data"), { ...env, RECORD_IMPORTS_TO: list }, [
      "--import",
      RECORDER,
    ]);
    const visitor = createVisitor(server.baseUrl);
    await visitor.say(await visitor.start("My boat seats are cracked"), "what are your hours?");
    server.child.kill("SIGTERM");
    await server.exited;
    return readFileSync(list, "utf8").split("\n").filter(Boolean);
  } finally {
    server?.child.kill("SIGKILL");
    temp.remove();
  }
}

/** `npm start` must stay as light as it was: the AWS SDK loads only when the config picks AWS. */
describe("what npm start loads", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it("never loads the AWS SDK on the embedded default", async () => {
    const loaded = await modulesLoaded({});
    expect(loaded.some((url) => url.includes("/better-sqlite3/"))).toBe(true);
    expect(loaded.filter((url) => /\/@aws-sdk\/|\/@smithy\//.test(url))).toEqual([]);
  });

  it("loads the packages of mail, photos and uploads only when one is needed, not to start or chat", async () => {
    const loaded = await modulesLoaded({});
    // nodemailer and mailparser with the first email built or read, sharp with the first photo
    // downscaled, file-type with the first upload: ~0.6 s of a cold start otherwise.
    for (const name of ["nodemailer", "mailparser", "sharp", "file-type"])
      expect(loaded.filter((url) => url.includes(`/node_modules/${name}/`))).toEqual([]);
  });

  it("loads it (and not SQLite) with STORE=dynamodb", async () => {
    const dynamodb = await startDynalite();
    cleanups.push(() => dynamodb.close());
    const loaded = await modulesLoaded({ STORE: "dynamodb", ...awsEnv({ dynamodb: dynamodb.endpoint }) });
    expect(loaded.some((url) => url.includes("/@aws-sdk/client-dynamodb/"))).toBe(true);
    expect(loaded.some((url) => url.includes("/better-sqlite3/"))).toBe(false);
  });
});
