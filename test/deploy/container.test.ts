import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";

/**
 * The third way to run it (README, "Run it with Docker"): the Dockerfile and compose.yaml.
 * Always checked: both files' structure, and that compose's environment is what the config loader
 * reads and accepts. Only where a Docker daemon answers: the image is built and started.
 */
const ROOT = join(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

// ---- compose.yaml: a small parser for the YAML subset compose files use -------------------------
// `yaml` is not a dependency of this project (only a transitive one of the CDK, not resolvable from
// here), so the test reads block maps, block sequences, flow sequences of scalars and quoted or plain
// scalars, and refuses anything else (anchors, block scalars, flow maps) rather than misread it.

type Yaml = string | null | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  no: number;
}

function stripComment(text: string): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === "#" && (i === 0 || /\s/.test(text[i - 1] ?? ""))) {
      return text.slice(0, i);
    }
  }
  return text;
}

function splitFlow(inner: string, no: number): string[] {
  const items: string[] = [];
  let quote: string | null = null;
  let current = "";
  for (const ch of inner) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === "[" || ch === "{") {
      throw new Error(`compose.yaml line ${no}: nested flow collections are not supported here`);
    } else if (ch === ",") {
      items.push(current.trim());
      current = "";
      continue;
    }
    current += ch;
  }
  if (current.trim() !== "") items.push(current.trim());
  return items;
}

function scalar(raw: string, no: number): Yaml {
  const text = raw.trim();
  if (text === "" || text === "~" || text === "null") return null;
  if (/^[&*!|>{]/.test(text)) throw new Error(`compose.yaml line ${no}: unsupported YAML: ${text}`);
  if (text.startsWith("[")) {
    if (!text.endsWith("]")) throw new Error(`compose.yaml line ${no}: unterminated flow sequence`);
    return splitFlow(text.slice(1, -1), no).map((item) => scalar(item, no));
  }
  if (text.startsWith('"')) return JSON.parse(text) as string;
  if (text.startsWith("'")) {
    if (!text.endsWith("'")) throw new Error(`compose.yaml line ${no}: unterminated string`);
    return text.slice(1, -1).replaceAll("''", "'");
  }
  return text;
}

/** `key: value` (value may be empty) or null when the text is not a mapping entry. */
function mapEntry(text: string): [string, string] | null {
  const match = /^("[^"]*"|'[^']*'|[^\s:"'][^:]*?)\s*:(?:\s+(.*))?$/.exec(text);
  if (!match) return null;
  const key = match[1] as string;
  return [/^["']/.test(key) ? key.slice(1, -1) : key, match[2] ?? ""];
}

function parseBlock(lines: Line[], start: number, indent: number): [Yaml, number] {
  const first = lines[start];
  if (!first || first.indent < indent) return [null, start];
  if (first.text === "-" || first.text.startsWith("- ")) {
    const list: Yaml[] = [];
    let i = start;
    while (i < lines.length && (lines[i] as Line).indent === first.indent) {
      const line = lines[i] as Line;
      if (!(line.text === "-" || line.text.startsWith("- "))) break;
      const rest = line.text.slice(1).trim();
      if (mapEntry(rest) && !/^["'[]/.test(rest))
        throw new Error(`compose.yaml line ${line.no}: maps inside sequences are not supported here`);
      if (rest === "") throw new Error(`compose.yaml line ${line.no}: empty sequence item`);
      list.push(scalar(rest, line.no));
      i++;
    }
    return [list, i];
  }
  const map: { [key: string]: Yaml } = {};
  let i = start;
  while (i < lines.length && (lines[i] as Line).indent === first.indent) {
    const line = lines[i] as Line;
    const entry = mapEntry(line.text);
    if (!entry) throw new Error(`compose.yaml line ${line.no}: expected "key: value", got ${line.text}`);
    const [key, value] = entry;
    if (key in map) throw new Error(`compose.yaml line ${line.no}: duplicate key ${key}`);
    i++;
    if (value.trim() !== "") {
      map[key] = scalar(value, line.no);
      continue;
    }
    const next = lines[i];
    const nested =
      next && (next.indent > line.indent || (next.indent === line.indent && next.text.startsWith("- ")));
    if (nested) {
      const [child, after] = parseBlock(lines, i, next.indent);
      map[key] = child;
      i = after;
    } else {
      map[key] = null;
    }
  }
  if (i < lines.length && (lines[i] as Line).indent > indent && (lines[i] as Line).indent !== first.indent)
    throw new Error(`compose.yaml line ${(lines[i] as Line).no}: bad indentation`);
  return [map, i];
}

function parseYaml(source: string): Yaml {
  const lines: Line[] = [];
  source.split("\n").forEach((raw, index) => {
    if (raw.includes("\t")) throw new Error(`compose.yaml line ${index + 1}: tab characters`);
    const text = stripComment(raw).trimEnd();
    if (text.trim() === "" || text.trim() === "---") return;
    lines.push({ indent: text.length - text.trimStart().length, text: text.trim(), no: index + 1 });
  });
  const [value, end] = parseBlock(lines, 0, 0);
  if (end !== lines.length) throw new Error(`compose.yaml line ${(lines[end] as Line).no}: not parsed`);
  return value;
}

function asMap(value: Yaml | undefined, what: string): { [key: string]: Yaml } {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value))
    throw new Error(`${what} is not a mapping`);
  return value;
}

function asList(value: Yaml | undefined, what: string): Yaml[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a sequence`);
  return value;
}

/** A service's `environment`, as a map or as a list of `NAME=value`. */
function environmentOf(service: { [key: string]: Yaml }): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((item) => {
        const [name, ...value] = String(item).split("=");
        return [name as string, value.join("=")];
      }),
    );
  }
  return Object.fromEntries(Object.entries(asMap(env, "environment")).map(([k, v]) => [k, String(v ?? "")]));
}

/** Short-syntax ports (`[ip:]host:container[/proto]`) as {host, container}. */
function portsOf(service: { [key: string]: Yaml }): { ip: string | null; host: number; container: number }[] {
  return asList(service.ports, "ports").map((entry) => {
    const match = /^(?:([\d.]+):)?(\d+):(\d+)(?:\/tcp)?$/.exec(String(entry));
    if (!match) throw new Error(`unexpected port entry ${String(entry)}`);
    return { ip: match[1] ?? null, host: Number(match[2]), container: Number(match[3]) };
  });
}

// ---- Dockerfile: instructions per stage --------------------------------------------------------

interface Instruction {
  op: string;
  args: string;
}

function parseDockerfile(source: string): Instruction[][] {
  const joined = source
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ");
  const stages: Instruction[][] = [];
  for (const line of joined.split("\n")) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const instruction = { op: (match[1] as string).toUpperCase(), args: (match[2] as string).trim() };
    if (instruction.op === "FROM") stages.push([]);
    if (instruction.op === "ARG" && stages.length === 0) continue; // global ARG before the first FROM
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${instruction.op} before FROM`);
    stage.push(instruction);
  }
  return stages;
}

/** `ENV A=1 B=2` (and the legacy `ENV A 1`) of one stage, in order. */
function envOf(stage: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { op, args } of stage) {
    if (op !== "ENV") continue;
    if (!args.includes("=")) {
      const [name, ...value] = args.split(/\s+/);
      env[name as string] = value.join(" ");
      continue;
    }
    for (const pair of args.match(/[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|\S*)/g) ?? []) {
      const [name, ...value] = pair.split("=");
      env[name as string] = value.join("=").replace(/^"(.*)"$/, "$1");
    }
  }
  return env;
}

/** The exec form (`["a", "b"]`) of CMD/HEALTHCHECK CMD/VOLUME, as a list. */
function execForm(args: string): string[] {
  const json = args.slice(args.indexOf("["));
  return JSON.parse(json) as string[];
}

// ---- what the app reads ------------------------------------------------------------------------

/**
 * Every variable src/config.ts reads: through its helpers (`int(env, "PORT", ...)`,
 * `read(env, "SMTP_URL")`) or directly (`env.NAME`, `env["NAME"]`).
 */
function configVariables(): Set<string> {
  const source = read("src/config.ts");
  const patterns = [/\(env, "([A-Z0-9_]+)"/g, /\benv\.([A-Z][A-Z0-9_]+)\b/g, /\benv\["([A-Z0-9_]+)"\]/g];
  return new Set(patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1] as string)));
}

/** Not the app's: read by Node itself and by glibc's malloc. */
const RUNTIME_VARIABLES = new Set(["NODE_ENV", "MALLOC_ARENA_MAX", "NODE_OPTIONS"]);

function commandWorks(command: string, args: string[]): { ok: boolean; why: string } {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 20_000 });
  if (result.error) return { ok: false, why: `${command} not found (${result.error.message})` };
  if (result.status !== 0)
    return { ok: false, why: (result.stderr || result.stdout).trim().split("\n").at(-1) ?? "failed" };
  return { ok: true, why: "" };
}

// ---- the tests ---------------------------------------------------------------------------------

const compose = asMap(parseYaml(read("compose.yaml")), "compose.yaml");
const services = asMap(compose.services, "services");
const app = asMap(services["lead-handoff"], "services.lead-handoff");
const mailpit = asMap(services.mailpit, "services.mailpit");
const stages = parseDockerfile(read("Dockerfile"));
const runtime = stages.at(-1) ?? [];
const imageEnv = envOf(runtime);
const ops = (op: string) => runtime.filter((i) => i.op === op);

describe("compose.yaml", () => {
  it("runs the product, built from this checkout, next to Mailpit", () => {
    expect(Object.keys(services).sort()).toEqual(["lead-handoff", "mailpit"]);
    expect(app.build).toBe(".");
    expect(String(mailpit.image)).toMatch(/^axllent\/mailpit(:v\d+(\.\d+)*)?$/);
    expect(asMap(asMap(app.depends_on, "depends_on").mailpit, "depends_on.mailpit").condition).toBe(
      "service_healthy",
    );
    // Mailpit's web UI (8025, where the lead emails show) and its SMTP port (1025).
    expect(portsOf(mailpit).map((p) => [p.host, p.container])).toEqual([
      [8025, 8025],
      [1025, 1025],
    ]);
  });

  it("publishes the port the server listens on and keeps DATA_DIR on a named volume", () => {
    const config = loadConfig({ ...imageEnv, ...environmentOf(app) });
    expect(portsOf(app)).toContainEqual({ ip: null, host: 8787, container: config.port });
    expect(ops("EXPOSE").map((i) => i.args)).toEqual([String(config.port)]);
    const mounts = asList(app.volumes, "volumes").map(String);
    expect(mounts).toContain(`lead-data:${config.dataDir}`);
    expect(Object.keys(asMap(compose.volumes, "volumes"))).toEqual(["lead-data"]);
  });

  it("wires the mailer to Mailpit with variables the config loader reads and accepts", () => {
    const env = environmentOf(app);
    const known = configVariables();
    expect(known.has("SMTP_URL")).toBe(true);
    // A misspelt or imagined variable (SMTP_HOST, SMTP_PORT: the app has neither) would be ignored.
    expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);
    expect(Object.keys(imageEnv).filter((name) => !known.has(name) && !RUNTIME_VARIABLES.has(name))).toEqual(
      [],
    );

    const config = loadConfig({ ...imageEnv, ...env });
    expect(config).toMatchObject({
      mailer: "smtp",
      dataDir: "/data",
      store: "sqlite",
      blobs: "fs",
      lead: { emailTo: ["owner@example.com"], emailFrom: "leads@example.com" },
    });
    // Plain SMTP to the mailpit service on its container port: no TLS (smtps), no login.
    const smtp = new URL(String(config.smtpUrl));
    expect(smtp.protocol).toBe("smtp:");
    expect(smtp.hostname).toBe("mailpit");
    expect(smtp.username).toBe("");
    expect(portsOf(mailpit).map((p) => p.container)).toContain(Number(smtp.port));
  });

  it("health-checks both services, and gives the server longer to stop than its shutdown grace", () => {
    const appCheck = asList(asMap(app.healthcheck, "healthcheck").test, "healthcheck.test").map(String);
    expect(appCheck[0]).toBe("CMD");
    expect(appCheck.join(" ")).toContain("http://127.0.0.1:8787/healthz");
    expect(asList(asMap(mailpit.healthcheck, "healthcheck").test, "healthcheck.test")).toEqual([
      "CMD",
      "/mailpit",
      "readyz",
    ]);
    const grace = loadConfig({ ...imageEnv, ...environmentOf(app) }).shutdownGraceMs / 1000;
    expect(Number(/^(\d+)s$/.exec(String(app.stop_grace_period))?.[1])).toBeGreaterThan(grace);
  });
});

describe("Dockerfile", () => {
  it("builds in two stages: compilers and npm ci in the first, only their output in the second", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const first = stages[0] ?? [];
    expect(first[0]?.args).toMatch(/^node:\$\{NODE_VERSION\}-bookworm-slim AS deps$/);
    const installs = first.filter((i) => i.op === "RUN").map((i) => i.args);
    expect(installs.join("\n")).toMatch(/apt-get install .*python3 make g\+\+/);
    expect(installs.join("\n")).toMatch(/npm ci --omit=dev/);
    // The native modules are loaded once at build time, so a broken build fails there.
    expect(installs.join("\n")).toMatch(/better-sqlite3.*sharp/);
    expect(ops("COPY").map((i) => i.args)).toContain("--from=deps /app/node_modules ./node_modules");
    expect(
      ops("RUN")
        .map((i) => i.args)
        .join("\n"),
    ).not.toMatch(/apt-get|npm (ci|install)/);
  });

  it("has what npm start needs in production dependencies (esbuild builds the server and the widget, tsx runs the build and the CLI)", () => {
    const pkg = JSON.parse(read("package.json")) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe("exec sh scripts/start.sh");
    for (const name of ["tsx", "esbuild", "better-sqlite3", "sharp"])
      expect(pkg.dependencies).toHaveProperty(name);
    // The first stage compiles the server as `npm start` would; the runtime takes only its output.
    const first = (stages[0] ?? []).filter((i) => i.op === "RUN").map((i) => i.args);
    expect(first).toContain("node --import tsx scripts/build.ts server");
    expect(ops("COPY").map((i) => i.args)).toContain("--from=deps /app/dist/server ./dist/server");
    // The CMD runs the compiled server npm start runs, with node as PID 1 (signals reach the graceful
    // shutdown), and the allocator and young-generation settings npm start gives it.
    expect(execForm(ops("CMD")[0]?.args ?? "")).toEqual(["node", "dist/server/server.mjs"]);
    expect(imageEnv.MALLOC_ARENA_MAX).toBe("1");
    expect(imageEnv.NODE_OPTIONS).toBe("--max-semi-space-size=4");
  });

  it("copies every path the server reads, none of which .dockerignore leaves out", () => {
    const ignored = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    const sources = ops("COPY")
      .filter((i) => !i.args.startsWith("--from"))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    // web/ holds the widget source (built at start) and the demo shop; bin/ and src/ the CLI;
    // scripts/ what `npm start` runs.
    expect(sources).toEqual(
      expect.arrayContaining(["package.json", "package-lock.json", "src", "web", "bin", "scripts"]),
    );
    for (const source of sources) {
      expect(existsSync(join(ROOT, source)), source).toBe(true);
      expect(ignored, source).not.toContain(source);
    }
    expect(ignored).toEqual(expect.arrayContaining(["node_modules", ".git", ".data", "test-artifacts"]));
  });

  it("runs as the unprivileged node user with DATA_DIR a volume it owns", () => {
    const users = ops("USER").map((i) => i.args);
    expect(users.at(-1)).toBe("node");
    expect(users).not.toContain("root");
    expect(imageEnv.DATA_DIR).toBe("/data");
    expect(execForm(ops("VOLUME")[0]?.args ?? "")).toEqual([imageEnv.DATA_DIR]);
    expect(ops("RUN").map((i) => i.args)).toContain(
      `mkdir -p ${imageEnv.DATA_DIR} && chown node:node ${imageEnv.DATA_DIR}`,
    );
    // The chown runs before USER and VOLUME, so a new volume starts out owned by node.
    const order = runtime.map((i) => i.op);
    expect(order.lastIndexOf("RUN")).toBeLessThan(order.indexOf("USER"));
    expect(order.indexOf("USER")).toBeLessThan(order.indexOf("VOLUME"));
  });

  describe("HEALTHCHECK", () => {
    // A stand-in for the server's /healthz (test/e2e/server-start.test.ts checks the real one
    // answers 200): what matters here is how the command reads the answer.
    let server: Server;
    let status = 200;
    beforeAll(async () => {
      server = createServer((request, response) => {
        response.writeHead(request.url === "/healthz" ? status : 404, { "content-type": "application/json" });
        response.end(JSON.stringify({ ok: status === 200 }));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

    const healthcheck = ops("HEALTHCHECK")[0]?.args ?? "";
    const command = execForm(healthcheck.slice(healthcheck.indexOf("CMD")));
    // Asynchronous: the stand-in server answers from this process's event loop.
    const run = (port: string) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, command.slice(1), { env: { ...process.env, PORT: port } });
        const timer = setTimeout(() => child.kill(), 10_000);
        child.on("exit", (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });

    it("asks /healthz with node's fetch (no curl in the slim image)", () => {
      expect(healthcheck).toMatch(/--start-period=\d+s/);
      expect(command[0]).toBe("node");
      expect(command.join(" ")).toContain("/healthz");
      expect(command.join(" ")).not.toMatch(/curl|wget/);
    });

    it("passes when /healthz on PORT answers 200, fails on an error status or when nothing answers", async () => {
      const port = String((server.address() as AddressInfo).port);
      expect(await run(port)).toBe(0);
      status = 503;
      expect(await run(port)).toBe(1);
      expect(await run("9")).toBe(1); // the discard port: connection refused
    });
  });
});

// ---- with a container runtime ------------------------------------------------------------------

const daemon = commandWorks("docker", ["info", "--format", "{{.ServerVersion}}"]);
const composePlugin = commandWorks("docker", ["compose", "version"]);
const IMAGE = "lead-handoff:container-test";

describe("with Docker", () => {
  beforeAll(() => {
    if (!daemon.ok) console.warn(`container.test: image build SKIPPED, no Docker daemon: ${daemon.why}`);
    if (!composePlugin.ok)
      console.warn(`container.test: docker compose config SKIPPED, no compose plugin: ${composePlugin.why}`);
  });

  it.skipIf(!composePlugin.ok)(
    `docker compose config accepts compose.yaml and reads it as this test does${composePlugin.ok ? "" : ` (SKIPPED: no docker compose: ${composePlugin.why})`}`,
    () => {
      const resolved = JSON.parse(
        execFileSync("docker", ["compose", "-f", join(ROOT, "compose.yaml"), "config", "--format", "json"], {
          encoding: "utf8",
        }),
      ) as { services: Record<string, { environment?: Record<string, string>; image?: string }> };
      expect(Object.keys(resolved.services).sort()).toEqual(Object.keys(services).sort());
      expect(resolved.services["lead-handoff"]?.environment).toEqual(environmentOf(app));
      expect(resolved.services.mailpit?.image).toBe(mailpit.image);
    },
  );

  it.skipIf(!daemon.ok)(
    `builds the image and it becomes healthy as a non-root user${daemon.ok ? "" : ` (SKIPPED, not proven here: no Docker daemon: ${daemon.why})`}`,
    () => {
      execFileSync("docker", ["build", "-t", IMAGE, ROOT], { stdio: "inherit", timeout: 20 * 60_000 });
      const id = execFileSync("docker", ["run", "-d", "--rm", IMAGE], { encoding: "utf8" }).trim();
      try {
        let status = "";
        for (let i = 0; i < 60 && status !== "healthy"; i++) {
          spawnSync("sleep", ["2"]);
          status = execFileSync("docker", ["inspect", "--format", "{{.State.Health.Status}}", id], {
            encoding: "utf8",
          }).trim();
        }
        expect(status).toBe("healthy");
        expect(execFileSync("docker", ["exec", id, "id", "-un"], { encoding: "utf8" }).trim()).toBe("node");
        // The server wrote its database into the volume.
        const listing = execFileSync("docker", ["exec", id, "ls", "/data"], { encoding: "utf8" });
        expect(listing).toContain("lead-handoff.sqlite");
      } finally {
        spawnSync("docker", ["rm", "-f", id]);
      }
    },
    25 * 60_000,
  );
});
