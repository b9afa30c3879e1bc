import { expect } from "vitest";
import type { ChatKitEvent } from "../../src/core/chat/protocol.js";
import { readSseEvents } from "./sse.js";
import type { Visitor } from "./visitor.js";

/** What a visitor (see createVisitor) does with files, over HTTP only, as the ChatKit widget does. */
export interface VisitorUploads {
  /**
   * The two-phase upload: `attachments.create` over `POST /api/chatkit`, then the multipart file as
   * its `upload_descriptor` says (URL, method and headers, nothing else). Resolves with the attachment id once the upload answered 201.
   */
  upload(bytes: Uint8Array, name: string, mimeType: string): Promise<string>;
  /** Sends a message carrying `attachmentIds` and reads the whole reply stream. */
  sayWith(threadId: string, text: string, attachmentIds: string[]): Promise<ChatKitEvent[]>;
}

/**
 * Uploads for `visitor` against the server at `baseUrl`. The descriptor's URL names the configured
 * public base URL, which in tests is not where the server listens: only its path and query are used.
 */
export function visitorUploads(baseUrl: string, visitor: Pick<Visitor, "secret">): VisitorUploads {
  return {
    async upload(bytes, name, mimeType) {
      const secret = await visitor.secret();
      const created = await fetch(`${baseUrl}/api/chatkit`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({
          type: "attachments.create",
          params: { name, size: bytes.byteLength, mime_type: mimeType },
        }),
      });
      expect(created.status).toBe(200);
      const descriptor = (await created.json()) as {
        id: string;
        upload_descriptor: { url: string; method: string; headers: Record<string, string> };
      };
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(bytes)], { type: mimeType }), name);
      const { url, method, headers } = descriptor.upload_descriptor;
      const target = new URL(url);
      const uploaded = await fetch(`${baseUrl}${target.pathname}${target.search}`, {
        method,
        headers,
        body: form,
      });
      expect(uploaded.status, await uploaded.clone().text()).toBe(201);
      return descriptor.id;
    },
    async sayWith(threadId, text, attachmentIds) {
      const response = await fetch(`${baseUrl}/api/chatkit`, {
        method: "POST",
        headers: { authorization: `Bearer ${await visitor.secret()}`, "content-type": "application/json" },
        body: JSON.stringify({
          type: "threads.add_user_message",
          params: {
            thread_id: threadId,
            input: { content: [{ type: "input_text", text }], attachments: attachmentIds },
          },
        }),
      });
      expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
      return readSseEvents(response);
    },
  };
}
