import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The floors of docs/architecture.md, checked from the imports themselves: a change that sends an
// arrow upward or closes a circle fails here, not in a review.

const ROOT = resolve(import.meta.dirname, "..");

/** Every TypeScript file below `dir`, repository-relative. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?[^;]*?from\s+"(\.[^"]+)"|import\(\s*"(\.[^"]+)"\s*\)/gm;

/** The relative imports of one file, resolved to repository-relative `.ts` paths. */
function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(IMPORT)].map((match) => {
    const spec = (match[3] ?? match[4]) as string;
    const to = relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, ".ts");
    return { from: file, to, typeOnly: Boolean(match[2]) };
  });
}

/** The floor a file stands on: its top folder under src/ (core rooms count as core). */
function floor(file: string): string {
  if (file.startsWith("web/widget/")) return "widget";
  if (file === "src/config.ts") return "config";
  return file.split("/")[1] ?? file;
}

/** Which floors each floor may import. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  core: ["core"],
  ports: ["ports", "core"],
  adapters: ["adapters", "ports", "core"],
  services: ["services", "ports", "core"],
  http: ["http", "services", "ports", "core"],
  config: ["core"],
  entry: ["entry", "config", "http", "services", "adapters", "ports", "core"],
  widget: ["widget"],
};

const files = [...sources("src"), ...sources("web/widget")];
const imports = files.flatMap(importsOf);

describe("architecture", () => {
  it("reads every import (the check is not vacuous)", () => {
    expect(files.length).toBeGreaterThan(80);
    expect(imports.length).toBeGreaterThan(300);
    expect(imports.every((i) => files.includes(i.to))).toBe(true);
  });

  it("every import runs downward: entry -> http -> services -> ports/core; adapters -> ports/core", () => {
    const upward = imports
      .filter((i) => !MAY_IMPORT[floor(i.from)]?.includes(floor(i.to)))
      // The widget shares the protocol shapes and, as types only, the attribution type.
      .filter((i) => !(floor(i.from) === "widget" && i.to.startsWith("src/core/chat/")))
      .filter((i) => !(floor(i.from) === "widget" && i.typeOnly && i.to === "src/core/attribution.ts"))
      .map((i) => `${i.from} -> ${i.to}`);
    expect(upward).toEqual([]);
  });

  it("an adapter imports only its own backend's files (and the ports, core and adapters/common)", () => {
    const crossing = imports
      .filter((i) => floor(i.from) === "adapters" && floor(i.to) === "adapters")
      .filter((i) => i.from.split("/")[2] !== i.to.split("/")[2])
      // Helpers every backend may share (plain file-system chores) live in adapters/common/.
      .filter((i) => !i.to.startsWith("src/adapters/common/"))
      .map((i) => `${i.from} -> ${i.to}`);
    expect(crossing).toEqual([]);
  });

  it("core rooms depend only on the root files and on the chat room", () => {
    const room = (file: string) => (file.split("/").length > 3 ? (file.split("/")[2] as string) : "root");
    const allowed: Record<string, readonly string[]> = {
      root: ["root"],
      chat: ["chat", "root"],
      extract: ["extract", "chat", "root"],
      intake: ["intake", "extract", "chat", "root"],
      email: ["email", "chat", "root"],
      "ads-export": ["ads-export", "root"],
      console: ["console", "ads-export", "root"],
    };
    const wrong = imports
      .filter((i) => floor(i.from) === "core")
      .filter((i) => !allowed[room(i.from)]?.includes(room(i.to)))
      .map((i) => `${i.from} -> ${i.to}`);
    expect(wrong).toEqual([]);
  });

  it("no file imports another that imports it back, however far round", () => {
    const graph = new Map<string, string[]>();
    for (const i of imports) graph.set(i.from, [...(graph.get(i.from) ?? []), i.to]);
    const circles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        circles.push([...path.slice(path.indexOf(file)), file].join(" -> "));
        return;
      }
      state.set(file, "open");
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, "done");
    };
    for (const file of files) visit(file, []);
    expect(circles).toEqual([]);
  });

  it("core, ports and services touch no file system, network or process", () => {
    const impure = files
      .filter((file) => ["core", "ports", "services"].includes(floor(file)))
      .filter((file) =>
        /from\s+"node:(fs|fs\/promises|net|http|https|child_process|path)"|process\.env/.test(
          readFileSync(join(ROOT, file), "utf8"),
        ),
      );
    expect(impure).toEqual([]);
  });
});
