// The reference catalogue (reference-catalogue.ts) against the API types themselves: every field
// of the pod, workload, claim, service account and network types that names another object or a
// place has a decision, every decision is about a field that exists, every rule named is a rule,
// and every field TG-POD-REFERENCE claims is one checkReferences really judges.
import { describe, expect, it } from "vitest";
import { RULES } from "../../../src/policy/catalogue.ts";
import { checkReferences } from "../../../src/policy/pod/references.ts";
import { run } from "./pod/world.ts";
import { REFERENCE_CATALOGUE, type Decision } from "./reference-catalogue.ts";
import { walkModels } from "./reference-walk.ts";

const walk = walkModels();
const entries = Object.entries(REFERENCE_CATALOGUE);
const codes = new Set(RULES.map((r) => r.code));
const ruleOf = (d: Decision): string | undefined => ("rule" in d ? d.rule : undefined);

describe("reference catalogue from @kubernetes/client-node's models", () => {
  it("the walk reaches the types and finds the fields everyone knows", () => {
    expect(walk.all.size).toBeGreaterThan(400);
    for (const f of [
      "PodSpec.nodeName",
      "Container.image",
      "PersistentVolumeClaimSpec.dataSourceRef",
      "Volume.csi",
    ])
      expect(walk.fields).toContain(f);
    // Plain values are not references.
    for (const f of ["Container.command", "PodSpec.hostNetwork", "Volume.name"]) {
      expect(walk.all).toContain(f);
      expect(walk.fields).not.toContain(f);
    }
  });

  it("every field that names an object or a place has a decision", () => {
    const missing = [...walk.fields].filter((f) => !(f in REFERENCE_CATALOGUE)).sort();
    expect(missing, "add these to test/unit/policy/reference-catalogue.ts").toEqual([]);
  });

  it("every decision is about a field the API types still have, and that the walk detects", () => {
    const gone = entries.map(([f]) => f).filter((f) => !walk.all.has(f));
    expect(gone, "fields that no longer exist").toEqual([]);
    const undetected = entries.map(([f]) => f).filter((f) => !walk.fields.has(f));
    expect(undetected, "listed but not a reference by the walk's rules").toEqual([]);
  });

  it("every rule code named is a registered rule", () => {
    for (const [field, d] of entries) {
      const code = ruleOf(d);
      if (code !== undefined) expect(codes.has(code), `${field}: ${code}`).toBe(true);
    }
  });

  it("every reason is one line, and every later names its issue", () => {
    for (const [field, d] of entries) {
      const text = "harmless" in d ? d.harmless : "later" in d ? d.later : "gap" in d ? d.gap : d.rule;
      expect(text.length, field).toBeGreaterThan(5);
      expect(text, field).not.toContain("\n");
      if ("later" in d) expect(d.later, field).toMatch(/issue \d+/);
    }
  });

  const claimed = entries.filter(([, d]) => ruleOf(d) === "TG-POD-REFERENCE");
  it("TG-POD-REFERENCE claims fields, each with a probe", () => {
    expect(claimed.length).toBeGreaterThan(15);
    for (const [field, d] of claimed) expect("probe" in d && d.probe !== undefined, field).toBe(true);
  });

  it.each(claimed)("%s: checkReferences finds another tenant's object there", (_field, d) => {
    const probe = (d as { probe: NonNullable<Extract<Decision, { rule: string }>["probe"]> }).probe;
    expect(run(checkReferences, "alpha-ns", probe.spec)).toEqual([`TG-POD-REFERENCE@${probe.path}`]);
  });
});
