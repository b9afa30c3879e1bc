import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadBusinessProfile } from "../../../src/adapters/fs/business-profile.js";
import { businessProfileSchema, DEFAULT_BUSINESS_PROFILE } from "../../../src/core/business-profile.js";
import { makeTempDir } from "../../support/temp-dir.js";

let temp: ReturnType<typeof makeTempDir>;
let dir: string;
beforeEach(() => {
  temp = makeTempDir();
  dir = temp.dir;
});
afterEach(() => temp.remove());

describe("business profile", () => {
  it("defaults to the demo shop, which is valid and matches business.json", () => {
    expect(loadBusinessProfile(null)).toEqual(DEFAULT_BUSINESS_PROFILE);
    expect(businessProfileSchema.parse(DEFAULT_BUSINESS_PROFILE)).toEqual(DEFAULT_BUSINESS_PROFILE);
    const file = join(import.meta.dirname, "../../../business.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(DEFAULT_BUSINESS_PROFILE);
    expect(loadBusinessProfile(file)).toEqual(DEFAULT_BUSINESS_PROFILE);
  });

  it("loads a file that overrides the profile", () => {
    const path = join(dir, "business.json");
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
    const path = join(dir, "bad.json");
    writeFileSync(path, JSON.stringify({ ...DEFAULT_BUSINESS_PROFILE, hours: [] }));
    expect(() => loadBusinessProfile(path)).toThrow(new RegExp(`^business profile ${path}: hours: .+`));
    writeFileSync(path, JSON.stringify({ ...DEFAULT_BUSINESS_PROFILE, phone_number: "x" }));
    expect(() => loadBusinessProfile(path)).toThrow(/phone_number/);
    writeFileSync(path, "{ not json");
    expect(() => loadBusinessProfile(path)).toThrow(/bad\.json: not valid JSON/);
    try {
      loadBusinessProfile(join(dir, "missing.json"));
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/missing\.json: cannot read the file \(ENOENT\)/);
      expect((error as Error).message).not.toContain("\n");
    }
  });
});
