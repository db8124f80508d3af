// The verified-token cache: an entry never outlives its token (exp + tolerance) or the TTL, a key
// rotation drops everything, and the size is bounded.
import { describe, expect, it } from "vitest";
import { VerifiedTokens } from "../../../src/server/verified-tokens.ts";

const NOW = 1_800_000_000_000;
const sec = (ms: number): number => Math.floor(ms / 1000);

describe("verified tokens", () => {
  it("answers until the token's expiry plus the clock tolerance, or the TTL, whichever is first", () => {
    const v = new VerifiedTokens(10, 60_000);
    v.sync(0);
    v.add("short", sec(NOW) + 5, 30, NOW); // valid for 35 s
    v.add("long", sec(NOW) + 3600, 30, NOW); // capped at the 60 s TTL
    expect(v.has("short", NOW + 34_000)).toBe(true);
    expect(v.has("short", NOW + 35_000)).toBe(false);
    expect(v.has("long", NOW + 59_000)).toBe(true);
    expect(v.has("long", NOW + 60_000)).toBe(false);
    expect(v.has("never-added", NOW)).toBe(false);
  });

  it("does not keep a token already past exp + tolerance", () => {
    const v = new VerifiedTokens();
    v.sync(0);
    v.add("old", sec(NOW) - 40, 30, NOW);
    expect(v.has("old", NOW)).toBe(false);
    expect(v.size).toBe(0);
  });

  it("forgets everything when the keys change", () => {
    const v = new VerifiedTokens();
    v.sync(0);
    v.add("t", sec(NOW) + 600, 0, NOW);
    v.sync(0);
    expect(v.has("t", NOW)).toBe(true);
    v.sync(1);
    expect(v.has("t", NOW)).toBe(false);
  });

  it("holds at most `max` tokens, dropping the oldest", () => {
    const v = new VerifiedTokens(3);
    v.sync(0);
    for (const t of ["a", "b", "c", "d"]) v.add(t, sec(NOW) + 600, 0, NOW);
    expect(v.size).toBe(3);
    expect(v.has("a", NOW)).toBe(false);
    expect(["b", "c", "d"].every((t) => v.has(t, NOW))).toBe(true);
  });
});
