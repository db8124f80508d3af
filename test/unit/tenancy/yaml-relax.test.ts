// kubectl's YAML leniency: continuation lines of quoted scalars and flow collections may be less
// indented than YAML 1.2 allows. Values and line numbers must come out as kubectl (go-yaml) reads
// them; what is broken for kubectl too stays an error. Expected values were checked against
// PyYAML, which implements the same libyaml algorithm as go-yaml.
import { describe, expect, it } from "vitest";
import { relaxFlowIndentation } from "../../../src/tenancy/yaml-relax.ts";
import { parseYamlObjects, readYamlStream, YamlSyntaxError } from "../../../src/tenancy/yaml-objects.ts";

const obj = (body: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n${body}`;

function values(text: string): unknown {
  return parseYamlObjects(text, "x.yaml")[0]?.object;
}

describe("kubectl-compatible flow scalars", () => {
  it.each([
    [
      "a double-quoted scalar whose continuation is under-indented",
      'data:\n  d: "a long\n text"\n',
      { d: "a long text" },
    ],
    ["a double-quoted scalar continued at column 0", 'data:\n  d: "a\nb \\"c\\""\n', { d: 'a b "c"' }],
    ["a single-quoted scalar", "data:\n  d: 'it''s\n fine'\n", { d: "it's fine" }],
    [
      "a flow sequence continued at its key's column",
      'data:\n  d: ["sh", "-c",\n  "echo hi"]\n',
      { d: ["sh", "-c", "echo hi"] },
    ],
    ["a flow sequence closed at its key's column", "data:\n  d: [\n    a,\n  ]\n", { d: ["a"] }],
    ["a flow mapping in a sequence item", "data:\n  - {a: 1,\n  b: 2}\n", [{ a: 1, b: 2 }]],
  ])("%s", (_what, body, want) => {
    expect(values(obj(body))).toMatchObject({ data: want });
  });

  it("keeps line numbers: a field after the relaxed lines still has its own line", () => {
    const s = parseYamlObjects(obj('data:\n  d: "a\n b"\n  e: x\n'), "x.yaml")[0];
    expect(s?.lineOf(["data", "e"])).toBe(8);
  });

  it("leaves block scalars alone, quotes and brackets in them included", () => {
    const text = 'data:\n  script: |\n    echo "unclosed\n    [x\n  d: "a\n b"\n';
    expect(values(obj(text))).toMatchObject({ data: { script: 'echo "unclosed\n[x\n', d: "a b" } });
  });

  it("does not touch quotes inside plain scalars or comments", () => {
    expect(relaxFlowIndentation("a: don't\n# it's \"here\nb: c\n")).toBeUndefined();
    expect(relaxFlowIndentation('a: "x"\nb: [1, 2]\n')).toBeUndefined();
  });

  it("what kubectl refuses too stays an error, with the original line", () => {
    const text = obj("data:\n  a: 1\n   b: 2\n");
    expect(() => parseYamlObjects(text, "x.yaml")).toThrow(YamlSyntaxError);
    expect(() => parseYamlObjects(text, "x.yaml")).toThrow(/x\.yaml:6: /);
  });

  it("resolves merge keys (<<: *anchor), local keys winning", () => {
    const text = obj("data:\n  base: &b {x: '1', y: '2'}\n  merged:\n    <<: *b\n    y: '3'\n");
    expect(values(text)).toMatchObject({ data: { merged: { x: "1", y: "3" } } });
  });

  it("a merge key that cannot be resolved is the file's error with its line, not a crash", () => {
    // Anchors end at "---": the second document's *pod names nothing.
    const text = "x: &pod {a: 1}\n---\n" + obj("spec:\n  <<: *pod\n");
    expect(() => readYamlStream(text, "m.yaml")).toThrow(YamlSyntaxError);
    expect(() => readYamlStream(text, "m.yaml")).toThrow(/m\.yaml:3: Merge sources must be maps/);
    expect(() => readYamlStream(obj("spec:\n  <<: 5\n"), "s.yaml")).toThrow(YamlSyntaxError);
  });

  it("the audit reader skips non-object documents with a note; the directory reader refuses them", () => {
    const text = "- op: add\n  path: /x\n  value: 1\n---\n" + obj("");
    const s = readYamlStream(text, "p.yaml");
    expect(s.objects).toHaveLength(1);
    expect(s.skipped).toEqual([
      {
        file: "p.yaml",
        line: 1,
        reason: "a JSON patch (RFC 6902 operations, e.g. a kustomize patch), not a Kubernetes object",
      },
    ]);
    expect(() => parseYamlObjects(text, "p.yaml")).toThrow(/p\.yaml:1: a JSON patch/);
  });
});
