import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatcher } from "../../../src/tenancy/tenant-policy.ts";

// The reference: the RegExp the matcher replaced (right, but polynomial on hostile values).
const reference = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .split("*")
      .map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
      .join(".*")}$`,
    "s",
  );

describe("globMatcher", () => {
  it.each([
    ["arn:aws:iam::123:role/alpha-*", "arn:aws:iam::123:role/alpha-reader", true],
    ["arn:aws:iam::123:role/alpha-*", "arn:aws:iam::123:role/beta-reader", false],
    ["arn:*:*:role/*", "arn:aws:iam:role/x", true],
    ["arn:*:*:role/*", "arn:aws:role/x", false],
    ["alpha-*@proj.iam.gserviceaccount.com", "alpha-x@proj.iam.gserviceaccount.com", true],
    ["alpha-*@proj.iam.gserviceaccount.com", "alpha-x@proj.iam.gserviceaccount.com.evil", false],
    ["a*a", "a", false],
    ["a*a", "aa", true],
    ["*", "", true],
    ["exact", "exact", true],
    ["exact", "exactly", false],
  ])("%j on %j is %s", (glob, value, want) => {
    expect(globMatcher(glob).test(value)).toBe(want);
    expect(reference(glob).test(value)).toBe(want);
  });

  it("agrees with the RegExp it replaced", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", ":", "*"), maxLength: 8 });
    fc.assert(
      fc.property(text, fc.string({ unit: fc.constantFrom("a", "b", ":"), maxLength: 12 }), (glob, value) => {
        expect(globMatcher(glob).test(value)).toBe(reference(glob).test(value));
      }),
      { numRuns: 3000 },
    );
  });
});
