import { describe, expect, it } from "vitest";
import {
  TimeoutParam,
  answerBudgetMs,
  parseGoDuration,
  requestedTimeoutMs,
} from "../../../src/server/timeout-param.ts";

describe("parseGoDuration", () => {
  it("reads what the API server sends and other Go durations", () => {
    expect(parseGoDuration("10s")).toBe(10_000);
    expect(parseGoDuration("30s")).toBe(30_000);
    expect(parseGoDuration("1m30s")).toBe(90_000);
    expect(parseGoDuration("1.5s")).toBe(1500);
    expect(parseGoDuration("250ms")).toBe(250);
    expect(parseGoDuration("1h")).toBe(3_600_000);
    expect(parseGoDuration("500us")).toBeCloseTo(0.5);
  });
  it("refuses anything else", () => {
    for (const bad of ["", "10", "s", "10x", "-5s", "10s junk", "ten seconds", "1e3s", "9".repeat(80) + "s"])
      expect(parseGoDuration(bad), bad).toBeUndefined();
  });
});

describe("requestedTimeoutMs / answerBudgetMs", () => {
  it("takes ?timeout= from the raw URL, among other parameters", () => {
    expect(requestedTimeoutMs("/validate?timeout=10s")).toBe(10_000);
    expect(requestedTimeoutMs("/mutate?x=1&timeout=2s&y")).toBe(2000);
    expect(requestedTimeoutMs("/validate")).toBeUndefined();
    expect(requestedTimeoutMs("/validate?timeout=0s")).toBeUndefined();
    expect(requestedTimeoutMs("/validate?timeout=%ZZ")).toBeUndefined();
  });
  it("answers a little inside the API server's budget, never beyond our own request timeout", () => {
    expect(answerBudgetMs("/validate?timeout=10s", 30_000)).toBe(9000);
    expect(answerBudgetMs("/validate?timeout=1s", 30_000)).toBe(900);
    expect(answerBudgetMs("/validate?timeout=60s", 30_000)).toBe(29_000);
    expect(answerBudgetMs("/validate", 30_000)).toBe(29_000);
  });
});

describe("TimeoutParam (one per handler)", () => {
  it("answers a repeated query from its last parse and a different one afresh", () => {
    const param = new TimeoutParam();
    const requestedTimeoutMs = (url: string): number | undefined => param.requestedMs(url);
    // The same query twice in a row (what one webhook configuration sends), then alternating.
    for (const [url, ms] of [
      ["/validate?timeout=3s", 3000],
      ["/mutate?timeout=3s", 3000],
      ["/validate?timeout=7s", 7000],
      ["/validate?timeout=3s", 3000],
      ["/validate?timeout=bogus", undefined],
      ["/validate?timeout=bogus", undefined],
      ["/validate?timeout=4s", 4000],
    ] as const)
      expect(requestedTimeoutMs(url), url).toBe(ms);
  });
});
