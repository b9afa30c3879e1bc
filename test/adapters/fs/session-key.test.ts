import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrCreateSessionKey } from "../../../src/adapters/fs/session-key.js";
import { createSessionService } from "../../../src/services/sessions.js";
import { createFakeClock } from "../../support/fake-clock.js";
import { useTempDir } from "../../support/use-temp-dir.js";

describe("loadOrCreateSessionKey", () => {
  const temp = useTempDir();

  it("creates the key file once with mode 0600 and reuses it", () => {
    const dataDir = join(temp.dir, "nested", "data");
    const first = loadOrCreateSessionKey({ secret: null, dataDir });
    const path = join(dataDir, "session.key");
    expect(first).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const contents = readFileSync(path, "utf8");
    const second = loadOrCreateSessionKey({ secret: null, dataDir });
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    expect(readFileSync(path, "utf8")).toBe(contents);
  });

  it("lets SESSION_SECRET win over the key file, and refuses a short one", () => {
    loadOrCreateSessionKey({ secret: null, dataDir: temp.dir });
    const secret = "s".repeat(40);
    const key = loadOrCreateSessionKey({ secret, dataDir: temp.dir });
    expect(new TextDecoder().decode(key)).toBe(secret);
    expect(() => loadOrCreateSessionKey({ secret: "short", dataDir: temp.dir })).toThrow(/SESSION_SECRET/);
  });

  it("refuses a damaged key file instead of replacing it", () => {
    writeFileSync(join(temp.dir, "session.key"), "nope");
    expect(() => loadOrCreateSessionKey({ secret: null, dataDir: temp.dir })).toThrow(
      /not a valid session key/,
    );
  });

  it("secrets signed with the file key survive a restart", async () => {
    const clock = createFakeClock();
    const before = createSessionService({
      key: loadOrCreateSessionKey({ secret: null, dataDir: temp.dir }),
      clock,
    });
    const session = await before.create({});
    const after = createSessionService({
      key: loadOrCreateSessionKey({ secret: null, dataDir: temp.dir }),
      clock,
    });
    expect(await after.authenticate(session.client_secret)).toEqual({ userId: session.userId });
  });
});
