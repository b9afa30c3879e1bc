import { buildTranscript } from "../../src/core/chat/transcript.js";
import type { ComposeLeadEmailInput, InlinePhoto } from "../../src/core/email/types.js";
import type { LeadSummary } from "../../src/core/lead-summary.js";

/** A ready lead: Maria, a 2012 Honda Civic, a torn driver seat. */
export function sampleSummary(overrides: Partial<LeadSummary> = {}): LeadSummary {
  return {
    handoff_ready: true,
    customer_name: "Maria Lopez",
    phone: "+15125550123",
    email: "maria@example.com",
    preferred_contact: "text",
    contact_time: null,
    item_type: "car",
    vehicle: { year: 2012, make: "Honda", model: "Civic" },
    service_category: "seat_repair",
    service_details: "Driver seat bolster torn, foam showing",
    timeline: "within two weeks",
    budget: null,
    location: "Austin, TX",
    photo_count: 2,
    missing: ["budget"],
    summary:
      "Maria has a tear in the driver seat bolster of her 2012 Honda Civic. She sent two photos and prefers a text.",
    ...overrides,
  };
}

/** Bytes that start like a JPEG; MIME does not care what they are. */
export function photoBytes(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  if (size >= 3) bytes.set([0xff, 0xd8, 0xff], 0);
  return bytes;
}

export function samplePhoto(index: number, size = 2048): InlinePhoto {
  return {
    cid: `photo-${index}@lead-handoff`,
    filename: `seat-${index}.jpg`,
    contentType: "image/jpeg",
    bytes: photoBytes(size, index),
  };
}

const PREVIEW = "http://localhost:8787/api/attachments";

/** A complete compose input with two inline photos and one linked PDF. */
export function sampleEmailInput(overrides: Partial<ComposeLeadEmailInput> = {}): ComposeLeadEmailInput {
  const photos = [samplePhoto(1), samplePhoto(2)];
  const transcript = buildTranscript([
    { role: "assistant", text: "Hi! What can we help you with today?" },
    {
      role: "user",
      text: "My 2012 Honda Civic driver seat is torn.\nCan you fix it?",
      attachments: photos.map((p, i) => ({
        id: `att_${i + 1}`,
        name: p.filename,
        mime_type: "image/jpeg",
        type: "image",
        preview_url: `${PREVIEW}?id=chatkit-attachments/att_${i + 1}.jpg`,
      })),
    },
    { role: "assistant", text: "We can. What's the best number to text you?" },
    { role: "user", text: "Maria Lopez, 512-555-0123, maria@example.com" },
  ]);
  return {
    threadId: "cthr_abc123",
    summary: sampleSummary(),
    transcript,
    attachments: [
      ...photos.map((p, i) => ({
        name: p.filename,
        mimeType: "image/jpeg",
        url: `${PREVIEW}?id=chatkit-attachments/att_${i + 1}.jpg`,
        inline: p,
        note: null,
      })),
      {
        name: "quote.pdf",
        mimeType: "application/pdf",
        url: `${PREVIEW}?id=chatkit-attachments/att_3.pdf`,
        inline: null,
        note: null,
      },
    ],
    smsLinkUrl: "http://localhost:8787/sms/tok_123",
    from: "Craig's Leads <leads@craigs-upholstery.example>",
    to: ["owner@craigs-upholstery.example"],
    triggerReason: "idle",
    summarizerName: "local",
    ...overrides,
  };
}
