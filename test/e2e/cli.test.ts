import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";

const cli = runCli;

describe("lead-handoff CLI", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let env: Record<string, string>;
  beforeEach(() => {
    temp = makeTempDir();
    env = { DATA_DIR: join(temp.dir, "data") };
  });
  afterEach(() => temp.remove());

  const conversation = {
    items: [
      { role: "assistant", text: "Hi! How can we help?" },
      { role: "user", text: "my 87 chevy c10 bench seat is ripped. I'm Dave, 512-555-0187" },
    ],
  };

  it("summarize prints the LeadSummary JSON of a neutral transcript file", async () => {
    const file = join(temp.dir, "chat.json");
    writeFileSync(file, JSON.stringify(conversation));
    const { code, stdout } = await cli(["summarize", file], env);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      handoff_ready: true,
      customer_name: "Dave",
      phone: "+15125550187",
      vehicle: { year: 1987, make: "Chevrolet" },
    });
  });

  it("summarize reads hosted ChatKit items as the API lists them", async () => {
    const file = join(temp.dir, "hosted.json");
    const data = [
      {
        type: "chatkit.user_message",
        created_at: 2,
        content: [{ type: "input_text", text: "email me maria@example.com" }],
      },
      {
        type: "chatkit.user_message",
        created_at: 1,
        content: [{ type: "input_text", text: "headliner sagging on my 2015 Jeep" }],
      },
    ];
    writeFileSync(file, JSON.stringify({ object: "list", data }));
    const { code, stdout } = await cli(["summarize", file], env);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      email: "maria@example.com",
      service_category: "headliner",
      handoff_ready: true,
    });
  });

  it("preview writes the .eml and .html without sending anything", async () => {
    const file = join(temp.dir, "dave.json");
    writeFileSync(file, JSON.stringify(conversation));
    const out = join(temp.dir, "out");
    const { code, stdout } = await cli(["preview", file, "--out", out], env);
    expect(code).toBe(0);
    expect(stdout).toContain("New lead: Dave - 1987 Chevrolet C10");
    const mail = await simpleParser(readFileSync(join(out, "dave.eml")));
    expect(mail.subject).toContain("Dave");
    expect(readFileSync(join(out, "dave.html"), "utf8")).toContain("tel:+15125550187");
    expect(() => readFileSync(join(temp.dir, "data", "outbox"))).toThrow();
  });

  it.each([
    ["a missing file", ["summarize", "/definitely/not/here.json"], /cannot read/],
    ["invalid JSON", ["summarize", "BAD_JSON"], /is not valid JSON/],
    ["no items", ["preview", "NO_ITEMS"], /has no "items" array/],
    [
      "an unknown command",
      ["frobnicate", "x.json"],
      /expected "summarize <file>", "preview <file>" or "aws-setup"/,
    ],
  ])("exits 2 with a clear message for %s", async (_label, args, message) => {
    writeFileSync(join(temp.dir, "bad.json"), "{ nope");
    writeFileSync(join(temp.dir, "empty.json"), JSON.stringify({ hello: 1 }));
    const resolved = args.map((a) =>
      a === "BAD_JSON" ? join(temp.dir, "bad.json") : a === "NO_ITEMS" ? join(temp.dir, "empty.json") : a,
    );
    const { code, stderr } = await cli(resolved, env);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split("\n")[0]).toMatch(/^lead-handoff: /);
  });
});
