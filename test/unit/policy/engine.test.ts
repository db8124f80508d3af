// The engine's own guarantees, independent of any rule: a rule that throws anything is a finding,
// never a crash; a deny message stays bounded however many findings there are.
import { describe, expect, it } from "vitest";
import { decodeReview } from "../../../src/admission/decode.ts";
import { DENY_MESSAGE_MAX_CHARS } from "../../../src/admission/limits.ts";
import { buildConfig } from "../../../src/policy/config.ts";
import { policySettings } from "../../../src/policy/settings.ts";
import { decide, RULE_FAILED_CODE, type Engine } from "../../../src/policy/engine.ts";
import { mutatorRegistry, ruleRegistry } from "../../../src/policy/catalogue.ts";
import { Registry } from "../../../src/policy/registry.ts";
import type { Rule } from "../../../src/policy/types.ts";
import { loadDirectoryPath } from "../../../src/tenancy/file.ts";
import { loadReview } from "../../support/fixtures.ts";

const view = await loadDirectoryPath("examples/cluster.yaml", "tenant-guard.dev/tenant");
const podReq = decodeReview(JSON.stringify(loadReview("pod-create"))).request;
// The API server puts a Namespace's own name in request.namespace.
const nsReq = {
  ...decodeReview(JSON.stringify(loadReview("namespace-create"))).request,
  namespace: "alpha-eval",
};

function engineWith(rules: Rule[], mode: "Enforce" | "Audit" = "Enforce"): Engine {
  const settings = policySettings(buildConfig(undefined, { enforcement: { mode } }));
  return { rules: new Registry(rules), mutators: new Registry([]), settings };
}

function throwing(value: unknown): Rule {
  return {
    code: "TG-TEST-THROWS",
    summary: "throws",
    match: [{ group: "", resource: "pods" }],
    operations: ["CREATE"],
    check() {
      throw value;
    },
  };
}

describe("engine", () => {
  it.each([
    ["an Error", new Error("boom"), "boom"],
    ["null", null, "null"],
    ["a string", "plain string", "plain string"],
    ["an object without toString", Object.create(null), "[object Object]"],
  ])("turns a rule throwing %s into a TG-INTERNAL deny under Enforce", (_n, value, text) => {
    const d = decide("validate", podReq, view, engineWith([throwing(value)]));
    expect(d.allowed).toBe(false);
    expect(d.findings[0]?.code).toBe(RULE_FAILED_CODE);
    expect(d.response.status?.message).toContain(`rule TG-TEST-THROWS failed: ${text}`);
  });

  it("allows and annotates a throwing rule under Audit", () => {
    const d = decide("validate", podReq, view, engineWith([throwing(new Error("boom"))], "Audit"));
    expect(d.allowed).toBe(true);
    expect(d.response.auditAnnotations?.["tg-internal"]).toMatch(/Audit: .*boom/);
  });

  it("bounds the deny message and says how many findings were cut", () => {
    const noisy: Rule = {
      code: "TG-TEST-NOISY",
      summary: "many long findings",
      match: [{ group: "", resource: "pods" }],
      operations: ["CREATE"],
      check(_ctx, out) {
        for (let i = 0; i < 500; i++)
          out.push({ code: "TG-TEST-NOISY", message: `finding ${i} `.padEnd(5000, "x") });
      },
    };
    const d = decide("validate", podReq, view, engineWith([noisy]));
    const msg = d.response.status?.message ?? "";
    expect(d.findings).toHaveLength(500);
    expect(msg.length).toBeLessThanOrEqual(DENY_MESSAGE_MAX_CHARS);
    expect(msg).toMatch(/and \d+ more finding\(s\)$/);
    expect(msg).toContain("finding 0 ");
  });

  it("names a Namespace once in the deny message", () => {
    const r: Rule = { ...throwing(new Error("x")), match: [{ group: "", resource: "namespaces" }] };
    const d = decide("validate", nsReq, view, engineWith([r]));
    expect(d.response.status?.message).toMatch(/^tenant-guard denied Namespace alpha-eval: /);
  });

  it("keeps every finding small even when a hostile caller sends a 1 MB name", () => {
    const body = loadReview("pod-create");
    const obj = body.request.object as { metadata: Record<string, unknown>; spec: { containers: unknown[] } };
    obj.metadata.generateName = "n".repeat(1_000_000);
    obj.spec.containers = Array.from({ length: 200 }, (_, i) => ({
      name: `c${i}`,
      image: "evil.example.com/x:1",
    }));
    const req = decodeReview(JSON.stringify(body)).request;
    const settings = policySettings(buildConfig(undefined));
    const d = decide("validate", req, view, { rules: ruleRegistry(), mutators: mutatorRegistry(), settings });
    expect(d.allowed).toBe(false);
    expect(d.findings.length).toBeGreaterThanOrEqual(200);
    for (const f of d.findings) expect(f.message.length).toBeLessThan(2000);
    expect(d.findings[0]?.message).toContain("…(1000000 chars)");
    for (const v of Object.values(d.response.auditAnnotations ?? {}))
      expect(v.length).toBeLessThanOrEqual(4096);
  });
});
