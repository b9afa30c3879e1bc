import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWidgetBundle } from "../../src/adapters/esbuild/widget-bundle.js";
import { createWebRoutes } from "../../src/http/routes/web.js";
import { makeTempDir, type TempDir } from "../support/temp-dir.js";

const DEMO_DIR = join(import.meta.dirname, "../../web/demo");

describe("web routes", () => {
  let temp: TempDir;
  let dir: string;
  let entry: string;

  beforeAll(() => {
    // A stand-in for web/widget/index.ts, so these tests do not depend on the widget's code.
    temp = makeTempDir("web-routes-");
    dir = temp.dir;
    entry = join(dir, "index.ts");
    writeFileSync(join(dir, "greet.ts"), 'export const greet = (name: string): string => "Hi " + name;\n');
    writeFileSync(entry, 'import { greet } from "./greet.js";\nconsole.info(greet("Craig"));\n');
  });
  afterAll(() => temp.remove());

  function app(options: { entry?: string; apiBase?: string } = {}) {
    const widget = createWidgetBundle({ entry: options.entry ?? entry });
    return createWebRoutes({
      widget,
      demoDir: DEMO_DIR,
      ...(options.apiBase ? { apiBase: options.apiBase } : {}),
    });
  }

  it("serves the bundled widget as JavaScript with caching headers", async () => {
    const res = await app().request("/widget.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const code = await res.text();
    expect(code).toContain("Craig");
    expect(code).not.toContain("import"); // one self-contained IIFE
  });

  it("answers 304 to a matching If-None-Match, 200 to a stale one", async () => {
    const web = app();
    const etag = (await web.request("/widget.js")).headers.get("etag") ?? "";
    const fresh = await web.request("/widget.js", { headers: { "If-None-Match": etag } });
    expect(fresh.status).toBe(304);
    expect(fresh.headers.get("etag")).toBe(etag);
    expect(await fresh.text()).toBe("");
    const listed = await web.request("/widget.js", { headers: { "If-None-Match": `"old", W/${etag}` } });
    expect(listed.status).toBe(304);
    const stale = await web.request("/widget.js", { headers: { "If-None-Match": '"old"' } });
    expect(stale.status).toBe(200);
  });

  it("sends the precompressed copy to clients that accept gzip, with its own ETag", async () => {
    const web = app();
    const plain = await web.request("/widget.js");
    const res = await web.request("/widget.js", { headers: { "Accept-Encoding": "gzip, deflate, br" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("vary")).toBe("Accept-Encoding");
    expect(res.headers.get("etag")).not.toBe(plain.headers.get("etag"));
    const body = Buffer.from(await res.arrayBuffer());
    expect(gunzipSync(body).toString("utf8")).toBe(await plain.text());
    const again = await web.request("/widget.js", {
      headers: { "Accept-Encoding": "gzip", "If-None-Match": res.headers.get("etag") ?? "" },
    });
    expect(again.status).toBe(304);
  });

  it("builds once and reports the gzipped size", async () => {
    const widget = createWidgetBundle({ entry });
    const first = await widget.get();
    expect(await widget.get()).toBe(first);
    expect(first.gzipBytes).toBe(first.gzip.byteLength);
    expect(first.gzipBytes).toBeGreaterThan(0);
  });

  it("surfaces a build failure clearly, naming the entry and the error", async () => {
    const broken = join(dir, "broken.ts");
    writeFileSync(broken, "export const oops = (;\n");
    const widget = createWidgetBundle({ entry: broken });
    await expect(widget.get()).rejects.toThrow(
      /Could not build the chat widget from .*broken\.ts: .*broken\.ts:1/,
    );
    const res = await app({ entry: broken }).request("/widget.js");
    expect(res.status).toBe(500);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("widget_build_failed");
    expect(body.error.message).toContain("broken.ts");
  });

  it("reports a missing entry by name", async () => {
    const widget = createWidgetBundle({ entry: join(dir, "nope/index.ts") });
    await expect(widget.get()).rejects.toThrow(/nope\/index\.ts/);
  });

  it("serves the demo site at / with the widget snippet and the outbox link", async () => {
    const res = await app().request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await res.text();
    expect(html).toContain('<script src="/widget.js" data-api="" async></script>');
    expect(html).toContain('href="/outbox"');
    expect(html).toContain("Craig's Auto Upholstery");
    expect(html).toContain("Chat with us — send a photo, get a quote");
  });

  it("writes apiBase into the snippet when the API lives elsewhere", async () => {
    const html = await (await app({ apiBase: "https://api.example.com" }).request("/")).text();
    expect(html).toContain('<script src="/widget.js" data-api="https://api.example.com" async></script>');
  });

  it("serves the demo assets with their types", async () => {
    const res = await app().request("/demo/styles.css");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/css/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toContain("--rust");
  });

  it.each([
    "/demo/../package.json",
    "/demo/%2e%2e/package.json",
    "/demo/%2E%2E%2Fpackage.json",
    "/demo/..%2f..%2fpackage.json",
    "/demo/..%5c..%5cpackage.json",
    "/demo//etc/passwd",
    "/demo/nothing-here.css",
  ])("refuses %s with 404", async (path) => {
    const res = await app().request(`http://localhost${path}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('"name": "lead-handoff"');
  });
});
