import { describe, expect, it } from "vitest";
import { detectItemType, itemTypeMentions } from "../../../src/core/extract/item-type.js";
import { isOneTypoAway, parseVehicle, toFourDigitYear } from "../../../src/core/extract/vehicle.js";
import { MAKES } from "../../../src/core/extract/vehicle-data.js";

const MAX_YEAR = 2027;
const parse = (text: string, options: { yearExpected?: boolean } = {}) =>
  parseVehicle(text, { maxYear: MAX_YEAR, ...options });
const ymm = (text: string, options: { yearExpected?: boolean } = {}) => {
  const found = parse(text, options);
  return found && { year: found.year, make: found.make, model: found.model };
};

describe("make list", () => {
  it("covers cars, motorcycles, boats and RVs", () => {
    expect(MAKES.length).toBeGreaterThanOrEqual(50);
    const names = MAKES.map((m) => m.name);
    for (const name of [
      "Harley-Davidson",
      "Sea Ray",
      "Bayliner",
      "Winnebago",
      "Airstream",
      "Chevrolet",
      "Toyota",
    ]) {
      expect(names).toContain(name);
    }
    for (const kind of ["car", "truck", "suv", "motorcycle", "boat", "rv"] as const) {
      expect(
        MAKES.some((m) => m.kind === kind),
        kind,
      ).toBe(true);
    }
  });
});

describe("parseVehicle", () => {
  it.each([
    ["its a 2012 honda civic", 2012, "Honda", "Civic"],
    ["2021 Jeep Grand Cherokee", 2021, "Jeep", "Grand Cherokee"],
    ["Mi carro es un Toyota Corolla 2010", 2010, "Toyota", "Corolla"],
    ["harley road king seat", null, "Harley-Davidson", "Road King"],
    ["'99 winnebago brave", 1999, "Winnebago", "Brave"],
    ["sea ray sundancer", null, "Sea Ray", "Sundancer"],
    ["1978 airstream sovereign", 1978, "Airstream", "Sovereign"],
    ["dodge ram 2500", null, "Dodge", "Ram 2500"],
    ["my 2018 silverado 2500hd", 2018, "Chevrolet", "Silverado 2500HD"],
    ["harley road king classic", null, "Harley-Davidson", "Road King Classic"],
    ["my chevy silverado 05", 2005, "Chevrolet", "Silverado"],
    ["ok. I have a 2019 Tesla Model 3", 2019, "Tesla", "Model 3"],
    ["its a 2017 Club Car Onward", 2017, "Club Car", "Onward"],
    ["my 2004 tacoma", 2004, "Toyota", "Tacoma"],
    ["2019 Ram 1500", 2019, "Ram", "1500"],
  ])("%s", (text, year, make, model) => {
    expect(ymm(text)).toEqual({ year, make, model });
  });

  it.each([
    ["chevy silverado", "Chevrolet"],
    ["vw bus", "Volkswagen"],
    ["merc e350", "Mercedes-Benz"],
    ["my harley", "Harley-Davidson"],
    ["beemer 328i", "BMW"],
    ["bimmer e46", "BMW"],
    ["caddy eldorado", "Cadillac"],
  ])("resolves the alias in %s", (text, make) => {
    expect(parse(text)?.make).toBe(make);
  });

  it.each(["f150", "f-150", "f 150", "F-150"])("normalizes %s to Ford F-150", (text) => {
    expect(ymm(text)).toEqual({ year: null, make: "Ford", model: "F-150" });
  });

  it("names the make from a distinctive model, not from an everyday word", () => {
    expect(ymm("2012 civic")).toEqual({ year: 2012, make: "Honda", model: "Civic" });
    expect(ymm("my silverado")).toEqual({ year: null, make: "Chevrolet", model: "Silverado" });
    expect(parse("I can't focus today")).toBeNull();
    expect(parse("what models do you work on")).toBeNull();
  });

  it("reads ambiguous makes by context", () => {
    expect(ymm("ford ranger")).toEqual({ year: null, make: "Ford", model: "Ranger" });
    expect(parse("ranger bass boat")?.make).toBe("Ranger");
    expect(parse("my malibu boat seats")?.make).toBe("Malibu");
    expect(ymm("I have a 2015 malibu")).toEqual({ year: 2015, make: "Chevrolet", model: "Malibu" });
    expect(parse("my ranger")).toBeNull();
  });

  it("tolerates one typo in a make or a known model", () => {
    expect(ymm("hondda acord")).toEqual({ year: null, make: "Honda", model: "Accord" });
    expect(ymm("chevy silverdo")).toEqual({ year: null, make: "Chevrolet", model: "Silverado" });
    expect(parse("the lodge chair")).toBeNull();
  });

  it("skips a negated make and takes the correction", () => {
    expect(parse("not a honda, it's a toyota camry")?.make).toBe("Toyota");
  });

  it("keeps the model to words right after the make", () => {
    expect(ymm("vehicle 2020 ford. send the email now")).toEqual({ year: 2020, make: "Ford", model: null });
    expect(ymm("chevy truck with torn seats")).toEqual({ year: null, make: "Chevrolet", model: null });
  });
});

describe("years", () => {
  it("pivots two-digit years on next year", () => {
    expect(toFourDigitYear(87, MAX_YEAR)).toBe(1987);
    expect(toFourDigitYear(5, MAX_YEAR)).toBe(2005);
    expect(toFourDigitYear(27, MAX_YEAR)).toBe(2027);
    expect(toFourDigitYear(28, MAX_YEAR)).toBe(1928);
  });

  it.each([
    ["'87 chevy camaro", 1987],
    ["an 05 civic", 2005],
    ["my chevy silverado 05", 2005],
    ["a 66 mustang", 1966],
  ])("reads two-digit years next to the vehicle: %s", (text, year) => {
    expect(parse(text)?.year).toBe(year);
  });

  it("takes a bare year only as an answer to a year question", () => {
    expect(parse("87", { yearExpected: true })?.year).toBe(1987);
    expect(parse("2012", { yearExpected: true })?.year).toBe(2012);
    expect(parse("87")).toBeNull();
    expect(parse("I have 15 chairs")).toBeNull();
  });

  it("accepts four-digit years from 1900 to next year only", () => {
    expect(parse("1900 ford")?.year).toBe(1900);
    expect(parse("2027 ford")?.year).toBe(2027);
    expect(parse("1899 ford")?.year).toBeNull();
    expect(parse("2028 ford")?.year).toBeNull();
  });

  it("does not read prices, phone groups or 'since' dates as model years", () => {
    expect(parse("2012 honda civic, budget $2000")?.year).toBe(2012);
    expect(parse("honda civic for 2000 dollars")?.year).toBeNull();
    expect(parse("my number is 737 555 2010")).toBeNull();
    expect(parse("been a customer since 2015")).toBeNull();
    expect(parse("Ford F-150 2015")?.year).toBe(2015);
  });
});

describe("item types", () => {
  it("takes the kind from a known model", () => {
    expect(parse("2018 f150")).toMatchObject({ kind: "truck", kindFromModel: true });
    expect(parse("honda shadow")).toMatchObject({ kind: "motorcycle", kindFromModel: true });
    expect(parse("honda")).toMatchObject({ kind: "car", kindFromModel: false });
  });

  it.each([
    ["my couch cushions are flat", "furniture"],
    ["6 dining chairs", "furniture"],
    ["new seats for my pontoon", "boat"],
    ["bass boat seats", "boat"],
    ["our motorhome dinette", "rv"],
    ["the couch in our fifth wheel", "rv"],
    ["golf cart seats", "other"],
    ["my motorcycle seat", "motorcycle"],
    ["torn seat in my truck", "truck"],
    ["la silla del comedor", "furniture"],
    ["mi lancha", "boat"],
    ["captain's chairs in my van", "van"],
    ["I'll bring the sofa over in my truck", "furniture"],
    ["not a car, it's a boat", "boat"],
  ])("%s -> %s", (text, type) => {
    expect(detectItemType([text])).toBe(type);
  });

  it("returns null when nothing is named and keeps each mention's words", () => {
    expect(detectItemType(["how much for a seat?"])).toBeNull();
    expect(itemTypeMentions("Golf Cart seats")).toEqual([{ type: "other", index: 0, text: "Golf Cart" }]);
  });
});

describe("isOneTypoAway", () => {
  it.each([
    ["honda", "hondda", true],
    ["toyota", "toyta", true],
    ["mazda", "madza", true],
    ["silverado", "silverdo", true],
    ["honda", "hondas", true],
    ["honda", "handa", true],
    ["honda", "hoonda", true],
    ["camry", "carmy", true],
    ["honda", "hnoad", false],
    ["dodge", "ledge", false],
  ])("%s ~ %s = %s", (a, b, expected) => {
    expect(isOneTypoAway(a, b)).toBe(expected);
  });
});
