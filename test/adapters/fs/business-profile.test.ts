import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBusinessProfile } from "../../../src/adapters/fs/business-profile.js";
import { businessProfileSchema, DEFAULT_BUSINESS_PROFILE } from "../../../src/core/business-profile.js";
import { useTempDir } from "../../support/use-temp-dir.js";

const temp = useTempDir();

describe("business profile", () => {
  it("defaults to the demo shop, which is valid and matches business.json", () => {
    expect(loadBusinessProfile(null)).toEqual(DEFAULT_BUSINESS_PROFILE);
    expect(businessProfileSchema.parse(DEFAULT_BUSINESS_PROFILE)).toEqual(DEFAULT_BUSINESS_PROFILE);
    const file = join(import.meta.dirname, "../../../business.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(DEFAULT_BUSINESS_PROFILE);
    expect(loadBusinessProfile(file)).toEqual(DEFAULT_BUSINESS_PROFILE);
  });

  it("loads a file that overrides the profile", () => {
    const path = join(temp.dir, "business.json");
    const { email: _email, greeting: _greeting, service_area: _area, ...required } = DEFAULT_BUSINESS_PROFILE;
    const profile = {
      ...required,
      name: "Dana's Trim Shop",
      owner_first_name: "Dana",
      hours: ["Tue-Sat 9-6"],
    };
    writeFileSync(path, JSON.stringify(profile));
    expect(loadBusinessProfile(path)).toEqual(profile);
  });

  it("names the path and the first problem of an invalid file in one line", () => {
    const path = join(temp.dir, "bad.json");
    writeFileSync(path, JSON.stringify({ ...DEFAULT_BUSINESS_PROFILE, hours: [] }));
    expect(() => loadBusinessProfile(path)).toThrow(new RegExp(`^business profile ${path}: hours: .+`));
    writeFileSync(path, JSON.stringify({ ...DEFAULT_BUSINESS_PROFILE, phone_number: "x" }));
    expect(() => loadBusinessProfile(path)).toThrow(/phone_number/);
    writeFileSync(path, "{ not json");
    expect(() => loadBusinessProfile(path)).toThrow(/bad\.json: not valid JSON/);
    try {
      loadBusinessProfile(join(temp.dir, "missing.json"));
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/missing\.json: cannot read the file \(ENOENT\)/);
      expect((error as Error).message).not.toContain("\n");
    }
  });
});
