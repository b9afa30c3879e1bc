import { describe, expect, it } from "vitest";
import { forwardedClientAddress } from "../../src/core/forwarded-for.js";

describe("forwardedClientAddress", () => {
  it.each<[string | null | undefined, number, string | null]>([
    // No trusted proxy: the header is never read, whatever it says.
    ["203.0.113.9", 0, null],
    ["198.51.100.1, 203.0.113.9", 0, null],
    // No header, or nothing in it.
    [undefined, 1, null],
    [null, 1, null],
    ["", 1, null],
    [" , ", 1, null],
    // One proxy (nginx, Caddy): the right-most entry is the address it saw.
    ["203.0.113.9", 1, "203.0.113.9"],
    ["  203.0.113.9  ", 1, "203.0.113.9"],
    ["198.51.100.1, 203.0.113.9", 1, "203.0.113.9"],
    ["198.51.100.1,203.0.113.9", 1, "203.0.113.9"],
    ["6.6.6.6, 7.7.7.7, 8.8.8.8, 203.0.113.9", 1, "203.0.113.9"],
    ["2001:db8::1", 1, "2001:db8::1"],
    ["unknown, 2001:db8::7", 1, "2001:db8::7"],
    // Two proxies (CloudFront in front of API Gateway): the second from the right.
    ["203.0.113.9, 130.176.1.1", 2, "203.0.113.9"],
    ["6.6.6.6, 203.0.113.9, 130.176.1.1", 2, "203.0.113.9"],
    // Fewer entries than trusted hops: nothing the proxies vouch for.
    ["203.0.113.9", 2, null],
    ["203.0.113.9, 130.176.1.1", 3, null],
    // An empty or absurd entry at that place is not an address.
    ["203.0.113.9,", 1, null],
    ["203.0.113.9, , 130.176.1.1", 2, null],
    [`${"x".repeat(65)}`, 1, null],
    [`${"x".repeat(64)}`, 1, "x".repeat(64)],
    // Not a whole positive number of hops: never trusted.
    ["203.0.113.9", -1, null],
    ["203.0.113.9", 1.5, null],
    ["203.0.113.9", Number.NaN, null],
  ])("%j with %d trusted hops -> %j", (header, hops, expected) => {
    expect(forwardedClientAddress(header, hops)).toBe(expected);
  });
});
