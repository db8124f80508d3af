// Reading a string-encoded pod spec patch as Argo will: what it sets, where its `{{...}}`
// expressions sit, or why it cannot be read. Bounded: length cap, no aliases, no recursion.
import { describe, expect, it } from "vitest";
import { POD_SPEC_PATCH_MAX, readPodSpecPatch } from "../../../../src/policy/workloads/pod-spec-patch.ts";

const unreadable = (patch: string): string => {
  const r = readPodSpecPatch(patch);
  if (r.ok) throw new Error(`read: ${JSON.stringify(r)}`);
  return r.why;
};

describe("readPodSpecPatch", () => {
  it("reads JSON and YAML patches into pod spec fields", () => {
    const json = readPodSpecPatch('{"serviceAccountName":"beta-sync","nodeSelector":{"pool":"b"}}');
    expect(json).toEqual({
      ok: true,
      spec: { serviceAccountName: "beta-sync", nodeSelector: { pool: "b" } },
      templates: [],
    });
    const yaml = readPodSpecPatch("containers:\n- name: main\n  image: x\n");
    expect(yaml.ok && yaml.spec).toEqual({ containers: [{ name: "main", image: "x" }] });
  });

  it("an empty or comment-only patch sets nothing", () => {
    expect(readPodSpecPatch("")).toEqual({ ok: true, spec: undefined, templates: [] });
    expect(readPodSpecPatch("# nothing\n")).toEqual({ ok: true, spec: undefined, templates: [] });
  });

  it("says why a patch cannot be read", () => {
    expect(unreadable("containers: [\n")).toContain("neither JSON nor YAML");
    expect(unreadable("- serviceAccountName: x\n")).toContain("a list, not a mapping");
    expect(unreadable("just words")).toContain("a string, not a mapping");
    expect(unreadable("a: 1\n---\nb: 2\n")).toContain("neither JSON nor YAML");
    expect(unreadable(`a: ${"x".repeat(POD_SPEC_PATCH_MAX)}`)).toContain("over the 65536 read");
  });

  it("refuses aliases (a billion-laughs patch is not expanded)", () => {
    const bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nnodeSelector: *c\n';
    expect(unreadable(bomb)).toContain("neither JSON nor YAML");
  });

  it("a deeply nested patch is refused before parsing (the parser takes about a second at such depths)", () => {
    expect(unreadable(`${"[".repeat(30_000)}${"]".repeat(30_000)}`)).toContain("deeper than 64 levels");
    expect(unreadable(`${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`)).toContain("deeper than 64");
    // Templates are masked first: `{{` is not nesting.
    expect(readPodSpecPatch(`a: "${"{{x}}".repeat(100)}"`).ok).toBe(true);
  });

  it("a deep but legal patch keeps every level (the walk does not recurse)", () => {
    const nested = `${'{"a":'.repeat(60)}"{{x}}"${"}".repeat(60)}`;
    const r = readPodSpecPatch(nested);
    expect(r.ok && r.templates.map((t) => t.path)).toEqual([Array(60).fill("a").join(".")]);
  });

  it("a template in a value is data: restored in the spec, noted with its path", () => {
    const r = readPodSpecPatch(
      '{"containers":[{"name":"main","env":[{"name":"E","value":"n={{inputs.parameters.n}}"}],' +
        '"args":["{{workflow.name}}"]}]}',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.spec).toEqual({
      containers: [
        {
          name: "main",
          env: [{ name: "E", value: "n={{inputs.parameters.n}}" }],
          args: ["{{workflow.name}}"],
        },
      ],
    });
    expect([...r.templates].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: "containers[0].args[0]", site: "value", text: "{{workflow.name}}" },
      { path: "containers[0].env[0].value", site: "value", text: "{{inputs.parameters.n}}" },
    ]);
  });

  it("an unquoted YAML template is read as Argo reads it: text substituted before parsing", () => {
    const r = readPodSpecPatch(
      "containers:\n- name: main\n  resources: {limits: {cpu: {{inputs.parameters.cpu}}}}\n",
    );
    expect(r.ok && r.templates).toEqual([
      { path: "containers[0].resources.limits.cpu", site: "value", text: "{{inputs.parameters.cpu}}" },
    ]);
  });

  it("a template as a field name or as the whole patch shapes the pod: noted as such", () => {
    const key = readPodSpecPatch("{{workflow.parameters.f}}:\n  pool: b\n");
    expect(key.ok && key.templates).toEqual([
      { path: "{{workflow.parameters.f}}", site: "key", text: "{{workflow.parameters.f}}" },
    ]);
    const whole = readPodSpecPatch("{{inputs.parameters.patch}}");
    expect(whole).toEqual({
      ok: true,
      spec: undefined,
      templates: [{ path: "", site: "whole", text: "{{inputs.parameters.patch}}" }],
    });
  });

  it("an unclosed {{ and the input's own private-use characters stay text", () => {
    const r = readPodSpecPatch('{"hostname":"a{{b","subdomain":"\uE0007\uE001"}');
    expect(r).toEqual({ ok: true, spec: { hostname: "a{{b", subdomain: "\uE0007\uE001" }, templates: [] });
  });
});
