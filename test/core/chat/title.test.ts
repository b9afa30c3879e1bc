import { describe, expect, it } from "vitest";
import { threadTitleFrom } from "../../../src/core/chat/title.js";

describe("threadTitleFrom", () => {
  it.each([
    ["My 2012 Honda Civic driver seat is torn", "My 2012 Honda Civic driver seat is torn"],
    ["  two\nlines\t here ", "two lines here"],
    [
      "The headliner in my 2015 Ford F-150 is sagging badly and the visors are falling off too",
      "The headliner in my 2015 Ford F-150 is sagging badly and…",
    ],
    ["x".repeat(80), `${"x".repeat(59)}…`],
    ["   ", null],
    ["", null],
  ])("%j -> %j", (text, title) => {
    expect(threadTitleFrom(text)).toBe(title);
  });
});
