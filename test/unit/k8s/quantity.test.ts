import { describe, expect, it } from "vitest";
import { isQuantity, MAX_QUANTITY_LENGTH, parseQuantity } from "../../../src/k8s/quantity.ts";

describe("parseQuantity", () => {
  it.each([
    ["0", 0],
    ["1", 1],
    ["100m", 0.1],
    ["2.5", 2.5],
    [".5", 0.5],
    ["1.", 1],
    ["+3", 3],
    ["-1", -1],
    ["4Gi", 4 * 2 ** 30],
    ["128Mi", 128 * 2 ** 20],
    ["1Ki", 1024],
    ["1Ei", 2 ** 60],
    ["5k", 5000],
    ["1E", 1e18],
    ["250u", 250e-6],
    ["3n", 3e-9],
    ["1e3", 1000],
    ["1E-3", 0.001],
    ["1e+3", 1000],
    ["1.e3", 1000],
    [".5e3", 500],
    [" 2 ", 2],
  ])("%j is %d", (q, want) => {
    expect(parseQuantity(q)).toBeCloseTo(want, 12);
  });

  it.each([
    "",
    " ",
    ".",
    "+",
    "-",
    "lots",
    "Gi",
    "1.2.3",
    "1 Gi",
    "1gi",
    "1Kib",
    "1K",
    "0x10",
    "1e",
    "1e+",
    "1e1.5",
    "1e2.5",
    "1ee3",
    "1mi",
    "1e400",
  ])("%j is not a quantity", (q) => {
    expect(parseQuantity(q)).toBeUndefined();
    expect(isQuantity(q)).toBe(false);
  });

  it("keeps numbers as they are, refusing only non-finite ones", () => {
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity(0.5)).toBe(0.5);
    expect(parseQuantity(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(parseQuantity(Number.NaN)).toBeUndefined();
    expect(parseQuantity(null)).toBeUndefined();
    expect(parseQuantity({})).toBeUndefined();
  });

  it("refuses strings over the length bound, even all-digit ones", () => {
    expect(parseQuantity("1".repeat(MAX_QUANTITY_LENGTH))).toBeGreaterThan(1e100);
    expect(parseQuantity("1".repeat(MAX_QUANTITY_LENGTH + 1))).toBeUndefined();
    expect(parseQuantity(`${"1".repeat(30_000)}e2.5`)).toBeUndefined();
  });
});
