import { afterEach, describe, expect, it } from "vitest";
import { makePng } from "../support/images.js";
import { startTestServer, type TestServer, uploadAttachment } from "../support/test-server.js";

let secret = "";

/** Uploads as the current `secret`. */
function upload(server: TestServer, bytes: Uint8Array | string, name: string, type = "image/jpeg") {
  return uploadAttachment(server, secret, bytes, name, type);
}

describe("attachment endpoints", () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  it("stores an image under chatkit-attachments/ and serves it back with nosniff", async () => {
    server = await startTestServer();
    ({ secret } = await server.session());
    const png = await makePng();
    const { status, body } = await upload(server, png, "photo.jpg", "image/jpeg");
    expect(status).toBe(201);
    // The type comes from the bytes: a PNG named .jpg is a PNG.
    expect(body).toMatchObject({
      mime_type: "image/png",
      type: "image",
      size: png.length,
      name: "photo.png",
    });
    const previewUrl = String(body.preview_url);
    expect(previewUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:8787\/api\/attachments\?id=chatkit-attachments\/att_[\w-]+\.png$/,
    );

    const key = new URL(previewUrl).searchParams.get("id");
    const response = await fetch(`${server.baseUrl}/api/attachments?id=${key}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
  });

  it("refuses HTML dressed as a .jpg, an empty file, a missing field and a file over the limit", async () => {
    server = await startTestServer({ ATTACHMENT_MAX_BYTES: "1000" });
    ({ secret } = await server.session());
    const html = await upload(server, "<html><script>alert(1)</script></html>", "cute.jpg");
    expect(html).toMatchObject({ status: 415, body: { error: { code: "unsupported_media_type" } } });
    expect((await upload(server, "", "empty.jpg")).status).toBe(400);
    const tooBig = await upload(server, new Uint8Array(5000), "big.jpg");
    expect(tooBig).toMatchObject({ status: 413, body: { error: { code: "payload_too_large" } } });

    const headers = { authorization: `Bearer ${secret}` };
    const noField = await fetch(`${server.baseUrl}/api/attachments`, {
      method: "POST",
      body: new FormData(),
      headers,
    });
    expect(noField.status).toBe(400);
    const notMultipart = await fetch(`${server.baseUrl}/api/attachments`, {
      method: "POST",
      body: "x",
      headers,
    });
    expect(notMultipart.status).toBe(400);
    secret = "forged";
    expect((await upload(server, await makePng(), "x.png")).status).toBe(401);
  });

  it("answers 404 for unknown or malformed keys without touching other files", async () => {
    server = await startTestServer();
    ({ secret } = await server.session());
    for (const id of [
      "chatkit-attachments/nope.png",
      "../lead-handoff.sqlite",
      "chatkit-attachments/..%2Fx.png",
    ]) {
      const response = await fetch(`${server.baseUrl}/api/attachments?id=${id}`);
      expect(response.status, id).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
    expect((await fetch(`${server.baseUrl}/api/attachments`)).status).toBe(400);
  });

  it("answers /healthz and says what runs at /", async () => {
    server = await startTestServer();
    const root = await fetch(`${server.baseUrl}/`);
    expect(root.headers.get("content-type")).toMatch(/text\/html/);
    expect(await root.text()).toContain('href="/outbox"');
    ({ secret } = await server.session());
    const response = await fetch(`${server.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, status: "ok", failed_leads: 0 });
  });
});
