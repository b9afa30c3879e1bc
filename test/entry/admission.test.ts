import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { admitInOrder } from "../../src/entry/admission.js";

/** Resolves in the next event-loop turn's check phase (after the immediates queued before it). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A stand-in request, told apart by `url` (the listener under test never reads anything else). */
const fakeRequest = (n: number) => [{ url: `/${n}` } as IncomingMessage, {} as ServerResponse] as const;

describe("admitInOrder (the FIFO admission step of npm start)", () => {
  it("hands requests over in arrival order, one per event-loop turn, never in the turn they arrive", async () => {
    const admitted: string[] = [];
    const listener = admitInOrder((request) => admitted.push(String(request.url)));
    // Three requests read in one poll phase, as a burst delivers them.
    for (const n of [1, 2, 3]) listener(...fakeRequest(n));
    expect(admitted).toEqual([]);
    await nextTurn();
    expect(admitted).toEqual(["/1"]);
    await nextTurn();
    expect(admitted).toEqual(["/1", "/2"]);
    // A latecomer queues behind the one still waiting.
    listener(...fakeRequest(4));
    await nextTurn();
    expect(admitted).toEqual(["/1", "/2", "/3"]);
    await nextTurn();
    expect(admitted).toEqual(["/1", "/2", "/3", "/4"]);
    // Drained: the next request starts a fresh queue and is still admitted a turn later.
    await nextTurn();
    listener(...fakeRequest(5));
    expect(admitted).toHaveLength(4);
    await nextTurn();
    expect(admitted).toEqual(["/1", "/2", "/3", "/4", "/5"]);
  });

  describe("on a real server on 127.0.0.1", () => {
    let close: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await close?.();
      close = undefined;
    });

    it("serves every request of a burst, in the order the server read them", async () => {
      const arrived: string[] = [];
      const served: string[] = [];
      const admitted = admitInOrder((request, response) => {
        served.push(String(request.url));
        // The body is read after the wait in the queue: nothing of it is lost meanwhile.
        let body = "";
        request.setEncoding("utf8");
        request.on("data", (chunk: string) => {
          body += chunk;
        });
        request.on("end", () => response.end(`${request.url} ${body}`));
      });
      const server = createServer((request, response) => {
        arrived.push(String(request.url));
        admitted(request, response);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      close = () => new Promise((resolve) => server.close(() => resolve()));
      const { port } = server.address() as AddressInfo;

      const count = 40;
      const answers = await Promise.all(
        Array.from({ length: count }, async (_, n) => {
          const response = await fetch(`http://127.0.0.1:${port}/${n}`, {
            method: "POST",
            body: `body of ${n}`,
            headers: { connection: "close" },
          });
          return { status: response.status, text: await response.text() };
        }),
      );

      expect(answers).toEqual(
        Array.from({ length: count }, (_, n) => ({ status: 200, text: `/${n} body of ${n}` })),
      );
      expect(served).toHaveLength(count);
      expect(served).toEqual(arrived);
    });
  });
});
