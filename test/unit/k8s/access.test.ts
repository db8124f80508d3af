// own(): reads a parsed JSON object's own fields only. A key that Object.prototype also has must
// never resolve to the prototype's member, whatever the request or config names.
import { describe, expect, it } from "vitest";
import { own } from "../../../src/k8s/access.ts";

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);

describe("own", () => {
  it("never returns an Object.prototype member the object does not have itself", () => {
    const obj = JSON.parse('{"name":"web","spec":{"volumes":[]}}') as Record<string, unknown>;
    expect(PROTO_NAMES).toContain("__proto__");
    for (const k of PROTO_NAMES) expect(own(obj, k), k).toBeUndefined();
  });

  it("returns what the JSON really holds under those names, __proto__ included", () => {
    const entries = PROTO_NAMES.map(
      (k, i) => `${JSON.stringify(k)}:${i % 2 === 0 ? `"v${i}"` : `{"n":${i}}`}`,
    );
    const obj = JSON.parse(`{${entries.join(",")}}`) as Record<string, unknown>;
    PROTO_NAMES.forEach((k, i) => expect(own(obj, k), k).toEqual(i % 2 === 0 ? `v${i}` : { n: i }));
  });

  it("reads ordinary fields, falsy values included, and undefined objects", () => {
    const obj = JSON.parse('{"a":0,"b":"","c":null,"d":false,"e":[1]}') as Record<string, unknown>;
    expect([own(obj, "a"), own(obj, "b"), own(obj, "c"), own(obj, "d"), own(obj, "e")]).toEqual([
      0,
      "",
      null,
      false,
      [1],
    ]);
    expect(own(obj, "missing")).toBeUndefined();
    expect(own(undefined, "a")).toBeUndefined();
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { toString: "own" });
    expect(own(bare, "toString")).toBe("own");
    expect(own(bare, "valueOf")).toBeUndefined();
  });
});
