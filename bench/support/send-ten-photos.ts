/**
 * Child process: with DATA_DIR holding 10 uploaded photos (keys in argv), send one lead email with
 * all of them and print `RESULT <json>` with the process's peak RSS (VmHWM) before and after.
 * `PHOTOS_AS_BUFFERS=1` hides the blob store's local paths, so every photo is read into memory
 * before it is downscaled, as before the shrinker took paths (the bench's baseline).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createFsBlobStore } from "../../src/adapters/fs/blob-store.js";
import { loadConfig } from "../../src/config.js";
import { createServices } from "../../src/entry/compose.js";
import { silentLogger } from "../../src/ports/logger.js";
import { seedThread } from "../../test/support/threads.js";
import { fortyTurnConversation } from "./conversation.js";

function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return Number(match?.[1] ?? 0) / 1024;
}

const keys = process.argv.slice(2);
const config = loadConfig({ DATA_DIR: String(process.env.DATA_DIR), LOG_LEVEL: "silent" });
const buffersOnly = () => {
  const { localPath: _, ...store } = createFsBlobStore({ root: join(config.dataDir, "blobs") });
  return store;
};
const services = await createServices(
  config,
  silentLogger,
  process.env.PHOTOS_AS_BUFFERS === "1" ? { blobs: buffersOnly() } : {},
);
const photos = keys.map((key, i) => ({
  id: `p${i}`,
  name: `photo-${i + 1}.jpg`,
  mime_type: "image/jpeg",
  type: "image" as const,
  preview_url: `${config.attachmentPreviewBaseUrl}?id=${key}`,
}));
await seedThread(services.threads, "cthr_rss", fortyTurnConversation(Date.now() - 3_600_000, photos));
const before = peakRssMb();
const t0 = performance.now();
const result = await services.leads.handle({ threadId: "cthr_rss", reason: "manual" });
const ms = performance.now() - t0;
console.log(
  `RESULT ${JSON.stringify({ lead_reason: result.lead_reason, ms, peakBeforeMb: before, peakMb: peakRssMb() })}`,
);
await services.close();
