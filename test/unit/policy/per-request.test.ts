// perRequest: what several rules derive from one request is built once for it (on its context's
// memo), and afresh for the next request - an undefined answer included.
import { describe, expect, it } from "vitest";
import { perRequest, RequestMemo } from "../../../src/policy/per-request.ts";
import type { RuleContext } from "../../../src/policy/types.ts";

const ctx = (name: string): RuleContext =>
  ({ request: { name }, memo: new RequestMemo() }) as unknown as RuleContext;

describe("perRequest", () => {
  it("builds once per context, and separately for the next one", () => {
    const built: string[] = [];
    const nameOf = perRequest((c) => {
      built.push(c.request.name);
      return { name: c.request.name };
    });
    const a = ctx("a");
    const first = nameOf(a);
    expect(nameOf(a)).toBe(first);
    const b = ctx("b");
    expect(nameOf(b)).toEqual({ name: "b" });
    // Kept on a's own context, not in a one-entry module memo: b does not evict it.
    expect(nameOf(a)).toBe(first);
    expect(built).toEqual(["a", "b"]);
  });

  it("remembers an undefined answer too", () => {
    let calls = 0;
    const none = perRequest(() => {
      calls++;
      return undefined;
    });
    const c = ctx("x");
    expect(none(c)).toBeUndefined();
    expect(none(c)).toBeUndefined();
    expect(calls).toBe(1);
  });
});
