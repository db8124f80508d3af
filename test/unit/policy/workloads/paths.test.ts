import { describe, expect, it } from "vitest";
import { compilePath, walk } from "../../../../src/policy/workloads/paths.ts";

function reach(obj: unknown, path: string): string[] {
  const out: string[] = [];
  walk(obj, compilePath(path), (v, p) => out.push(`${p}=${JSON.stringify(v)}`));
  return out;
}

describe("template paths", () => {
  it.each([
    "spec.template",
    "spec.pytorchReplicaSpecs.*.template",
    "spec.workerGroupSpecs[*].template",
    "a_b-c.d",
  ])("accepts %s", (p) => {
    expect(() => compilePath(p)).not.toThrow();
  });

  it.each(["", "spec..template", ".spec", "spec.", "spec[0]", "spec.$where", "spec[*]x"])(
    "rejects %j",
    (p) => {
      expect(() => compilePath(p)).toThrow(/invalid template path/);
    },
  );

  it("`[*]` and `.*` are the same wildcard", () => {
    expect(compilePath("a[*].b")).toEqual(compilePath("a.*.b"));
  });

  it.each([
    [
      "a map's values",
      { spec: { rs: { Master: { t: 1 }, Worker: { t: 2 } } } },
      "spec.rs.*.t",
      ["spec.rs.Master.t=1", "spec.rs.Worker.t=2"],
    ],
    [
      "an array's elements",
      { spec: { g: [{ t: "x" }, { u: 1 }, { t: "y" }] } },
      "spec.g[*].t",
      ['spec.g[0].t="x"', 'spec.g[2].t="y"'],
    ],
    ["odd map keys are quoted", { m: { "a.b/c": { t: 1 } } }, "m.*.t", ['m["a.b/c"].t=1']],
    ["missing fields reach nothing", { spec: {} }, "spec.template", []],
    ["wrong types reach nothing", { spec: "x" }, "spec.template", []],
    ["wildcard over a scalar reaches nothing", { spec: 3 }, "spec.*.template", []],
  ])("walks %s", (_name, obj, path, want) => {
    expect(reach(obj, path)).toEqual(want);
  });

  it("never follows prototype members", () => {
    expect(reach({ spec: {} }, "spec.constructor")).toEqual([]);
    expect(reach(JSON.parse('{"spec":{"__proto__":{"template":1}}}'), "spec.__proto__.template")).toEqual([
      "spec.__proto__.template=1",
    ]);
    expect(reach({ spec: {} }, "spec.__proto__.template")).toEqual([]);
  });
});
