import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildTranscript } from "../../src/core/chat/transcript.js";
import type { Assistant } from "../../src/ports/assistant.js";
import { collect } from "../support/iterables.js";

/** What an Assistant contract run needs from an adapter. */
export interface AssistantFixture {
  assistant: Assistant;
  /** Prepares the adapter to answer the next turn (a fake model queues a reply; local does nothing). */
  expectTurn(): void;
  teardown(): Promise<void>;
}

const transcript = buildTranscript([
  { role: "assistant", text: "Hi! What can we help with?" },
  { role: "user", text: "The driver seat on my 2012 Honda Civic has a tear" },
]);

/** The Assistant contract: every adapter must pass it. */
export function runAssistantContract(name: string, setup: () => Promise<AssistantFixture>): void {
  describe(`Assistant contract: ${name}`, () => {
    let fixture: AssistantFixture;
    beforeEach(async () => {
      fixture = await setup();
    });
    afterEach(async () => fixture.teardown());

    it("streams a non-empty reply as one or more text deltas", async () => {
      fixture.expectTurn();
      const deltas = await collect(fixture.assistant.reply({ threadId: "cthr_contract", transcript }));
      expect(deltas.length).toBeGreaterThan(0);
      expect(deltas.every((d) => typeof d === "string")).toBe(true);
      expect(deltas.join("").trim().length).toBeGreaterThan(0);
    });

    it("stops when the signal aborts", async () => {
      fixture.expectTurn();
      const controller = new AbortController();
      controller.abort();
      const deltas = await collect(
        fixture.assistant.reply({ threadId: "cthr_contract", transcript }, controller.signal),
      );
      expect(deltas).toEqual([]);
    });

    it("has a name for logs", () => {
      expect(fixture.assistant.name).toMatch(/^(local|openai:.+)$/);
    });
  });
}
