import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { DEFAULT_BUSINESS_PROFILE } from "../../src/core/business-profile.js";
import { createServices, type Services } from "../../src/entry/compose.js";
import { silentLogger } from "../../src/ports/logger.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("composition root: the shop's name", () => {
  const temp = makeTempDir();
  let services: Services | undefined;
  afterEach(async () => {
    await services?.close();
    services = undefined;
  });
  afterAll(() => temp.remove());

  /** The drafted SMS reply a lead gets under these settings. */
  async function draftedReply(env: Record<string, string>): Promise<string> {
    const profile = join(temp.dir, "business.json");
    writeFileSync(profile, JSON.stringify({ ...DEFAULT_BUSINESS_PROFILE, name: "Bayou Boat Covers" }));
    const config = loadConfig({ DATA_DIR: temp.dir, BUSINESS_PROFILE: profile, ...env });
    services = await createServices(config, silentLogger);
    const link = await services.smsLinks.create({
      threadId: "cthr_1",
      phone: "+15125550123",
      customerName: "Maria Lopez",
      service: "cushions_covers",
    });
    const opened = await services.smsLinks.open(link.split("/sms/")[1] ?? "");
    return opened.record?.body ?? "";
  }

  it("signs the drafted SMS reply with the business profile's name", async () => {
    expect(await draftedReply({})).toBe(
      "Hi Maria, this is Bayou Boat Covers about your cushion and cover request. ",
    );
  });

  it("lets SHOP_NAME override the profile's name", async () => {
    expect(await draftedReply({ SHOP_NAME: "Bayou Marine" })).toBe(
      "Hi Maria, this is Bayou Marine about your cushion and cover request. ",
    );
  });
});
