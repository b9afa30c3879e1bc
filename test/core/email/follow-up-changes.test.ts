import { describe, expect, it } from "vitest";
import { buildTranscript } from "../../../src/core/chat/transcript.js";
import { followUpChanges } from "../../../src/core/email/follow-up-changes.js";
import { sampleSummary } from "../../support/lead-email.js";

const nothingAdded = buildTranscript([]);
const photo = {
  id: "a1",
  name: "side.jpg",
  mime_type: "image/jpeg",
  type: "image" as const,
  preview_url: "http://127.0.0.1:8787/api/attachments?id=chatkit-attachments/a1.jpg",
};

describe("followUpChanges", () => {
  const before = sampleSummary({ service_details: "Driver seat torn" });

  it.each([
    ["nothing new (small talk)", {}, []],
    ["a new email", { email: "new@example.com" }, [{ label: "Email", value: "new@example.com" }]],
    ["a time", { timeline: "before May 20" }, [{ label: "Timeline", value: "before May 20" }]],
    [
      "details added to the end: only the new part",
      { service_details: "Driver seat torn; and the side of the seat" },
      [{ label: "Details", value: "and the side of the seat" }],
    ],
    [
      "details rewritten: shown whole",
      { service_details: "Passenger seat instead" },
      [{ label: "Details", value: "Passenger seat instead" }],
    ],
    ["a changed job", { service_category: "headliner" as const }, [{ label: "Service", value: "headliner" }]],
  ])("%s", (_name, after, expected) => {
    expect(followUpChanges(before, { ...before, ...after }, nothingAdded)).toEqual(expected);
  });

  it("counts the customer's new photos", () => {
    const added = buildTranscript([{ role: "user", text: "", attachments: [photo] }]);
    expect(followUpChanges(before, before, added)).toEqual([
      { label: "Photos", value: "1 new (shown below)" },
    ]);
  });
});
