import { describe, expect, it } from "vitest";
import { checkNodePool } from "../../../../src/policy/pod/node-pool.ts";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import type { Finding } from "../../../../src/policy/types.ts";
import { messages, run, scopeFor } from "./world.ts";

const N = "TG-POD-NODE-POOL";
const K = "pool.example/name";
const required = (exprs: object[], field = "matchExpressions") => ({
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ [field]: exprs }] },
    },
  },
});
const REQ = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]";

describe("checkNodePool", () => {
  it.each([
    [
      "own pool by nodeSelector",
      "alpha-ns",
      { nodeSelector: { [K]: "alpha-gpu", "kubernetes.io/os": "linux" } },
      [],
    ],
    [
      "another tenant's pool by nodeSelector",
      "alpha-ns",
      { nodeSelector: { [K]: "beta-gpu" } },
      [`${N}@spec.nodeSelector["${K}"]`],
    ],
    [
      "required affinity In another pool",
      "alpha-ns",
      required([{ key: K, operator: "In", values: ["alpha-gpu", "beta-gpu"] }]),
      [`${N}@${REQ}.matchExpressions[0].values[1]`],
    ],
    [
      "required affinity NotIn is not a reach",
      "alpha-ns",
      required([{ key: K, operator: "NotIn", values: ["beta-gpu"] }]),
      [],
    ],
    [
      "matchFields on a label key is not a node name (the API server only accepts metadata.name)",
      "gamma-ns",
      required([{ key: K, operator: "In", values: ["alpha-gpu"] }], "matchFields"),
      [],
    ],
    [
      "preferred affinity is not checked",
      "alpha-ns",
      {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 1,
                preference: { matchExpressions: [{ key: K, operator: "In", values: ["beta-gpu"] }] },
              },
            ],
          },
        },
      },
      [],
    ],
    [
      "own pool toleration",
      "alpha-ns",
      { tolerations: [{ key: K, operator: "Equal", value: "alpha-gpu", effect: "NoSchedule" }] },
      [],
    ],
    [
      "toleration of another pool's taint",
      "alpha-ns",
      { tolerations: [{ key: K, value: "beta-gpu", effect: "NoSchedule" }] },
      [`${N}@spec.tolerations[0]`],
    ],
    [
      "Exists on the pool key reaches every pool",
      "alpha-ns",
      { tolerations: [{ key: K, operator: "Exists" }] },
      [`${N}@spec.tolerations[0]`],
    ],
    [
      "Exists on a node condition key is fine",
      "alpha-ns",
      { tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" }] },
      [],
    ],
    [
      "Exists with no key tolerates everything",
      "alpha-ns",
      { tolerations: [{ operator: "Exists" }] },
      [`${N}@spec.tolerations[0]`],
    ],
    [
      "unowned namespace may not use a tenant's pool",
      "nobody",
      { nodeSelector: { [K]: "alpha-gpu" } },
      [`${N}@spec.nodeSelector["${K}"]`],
    ],
    [
      "sharedWith does not open node pools",
      "gamma-ns",
      { nodeSelector: { [K]: "beta-gpu" } },
      [`${N}@spec.nodeSelector["${K}"]`],
    ],
    [
      "garbage shapes",
      "alpha-ns",
      { nodeSelector: [1], tolerations: [null, "x"], affinity: { nodeAffinity: 5 } },
      [],
    ],
  ])("%s", (_name, ns, spec, want) => {
    expect(run(checkNodePool, ns, spec)).toEqual(want);
  });

  it("names the pool and both tenants", () => {
    const [m] = messages(checkNodePool, "alpha-ns", { nodeSelector: { [K]: "beta-gpu" } });
    expect(m).toContain(`${K}=beta-gpu`);
    expect(m).toMatch(/tenant "beta".*tenant "alpha"/);
  });
});

const findings = (ns: string, spec: JsonRecord): Finding[] => {
  const out: Finding[] = [];
  checkNodePool(scopeFor(ns), spec, "spec", out);
  return out;
};
const byName = (values: string[], operator = "In") =>
  required([{ key: "metadata.name", operator, values }], "matchFields");

describe("checkNodePool: a node named outright (spec.nodeName, matchFields metadata.name)", () => {
  it.each([
    ["alpha on its own pool's node", "alpha-ns", { nodeName: "alpha-node" }, [], undefined],
    ["alpha on beta's node", "alpha-ns", { nodeName: "beta-node" }, [`${N}@spec.nodeName`], "beta"],
    ["alpha on a node in no pool", "alpha-ns", { nodeName: "free-node" }, [`${N}@spec.nodeName`], undefined],
    [
      "alpha on a node of a pool no tenant owns",
      "alpha-ns",
      { nodeName: "general-node" },
      [`${N}@spec.nodeName`],
      undefined,
    ],
    [
      "gamma (no pool) on alpha's node",
      "gamma-ns",
      { nodeName: "alpha-node" },
      [`${N}@spec.nodeName`],
      "alpha",
    ],
    [
      "gamma on a node marked alpha's by its taint only",
      "gamma-ns",
      { nodeName: "alpha-tainted" },
      [`${N}@spec.nodeName`],
      "alpha",
    ],
    [
      "alpha on a node with its taint but not its label",
      "alpha-ns",
      { nodeName: "alpha-tainted" },
      [`${N}@spec.nodeName`],
      undefined,
    ],
    ["gamma on a node in no pool", "gamma-ns", { nodeName: "free-node" }, [], undefined],
    ["gamma on a pool value no tenant owns", "gamma-ns", { nodeName: "general-node" }, [], undefined],
    [
      "an unowned namespace on alpha's node",
      "nobody",
      { nodeName: "alpha-node" },
      [`${N}@spec.nodeName`],
      "alpha",
    ],
    ["an unowned namespace on a free node", "nobody", { nodeName: "free-node" }, [], undefined],
    [
      "a node the directory does not know",
      "gamma-ns",
      { nodeName: "ghost-7" },
      [`${N}@spec.nodeName`],
      undefined,
    ],
    ["an empty nodeName is no node", "gamma-ns", { nodeName: "" }, [], undefined],
    [
      "matchFields metadata.name In names nodes like nodeName",
      "gamma-ns",
      byName(["free-node", "alpha-node"]),
      [`${N}@${REQ}.matchFields[0].values[1]`],
      "alpha",
    ],
    [
      "matchFields metadata.name In alpha's node, for alpha",
      "alpha-ns",
      byName(["alpha-node"]),
      [],
      undefined,
    ],
    [
      "matchFields metadata.name NotIn excludes, never reaches",
      "gamma-ns",
      byName(["alpha-node"], "NotIn"),
      [],
      undefined,
    ],
  ])("%s", (_name, ns, spec, want, victim) => {
    const out = findings(ns, spec);
    expect(out.map((f) => `${f.code}@${f.path ?? ""}`)).toEqual(want);
    for (const f of out) expect(f.victim).toBe(victim);
  });

  it("says which node, whose pool, by which label or taint, and what to do", () => {
    const [other] = findings("gamma-ns", { nodeName: "alpha-tainted" });
    expect(other?.message).toMatch(
      /pod "p" in namespace "gamma-ns" runs on node "alpha-tainted", which is in the node pool of tenant "alpha" \(taint pool.example\/name=alpha-gpu:NoExecute\), but the namespace belongs to tenant "gamma"; remove spec.nodeName/,
    );
    const [unknown] = findings("gamma-ns", { nodeName: "ghost-7" });
    expect(unknown?.message).toContain('node "ghost-7", which the directory does not know');
    const [outside] = findings("alpha-ns", { nodeName: "free-node" });
    expect(outside?.message).toContain(
      'outside the node pool of tenant "alpha" (the node lacks pool.example/name=alpha-gpu)',
    );
  });
});

describe("checkNodePool: a tenant with a pool may not leave it", () => {
  it.each([
    [
      "nodeSelector on a pool value no tenant owns",
      "alpha-ns",
      { nodeSelector: { [K]: "general" } },
      [`${N}@spec.nodeSelector["${K}"]`],
    ],
    [
      "the same for beta, whose pool is a selector only",
      "beta-ns",
      { nodeSelector: { [K]: "general" } },
      [`${N}@spec.nodeSelector["${K}"]`],
    ],
    [
      "a tenant without a pool may pick any unowned value",
      "gamma-ns",
      { nodeSelector: { [K]: "general" } },
      [],
    ],
    [
      "affinity In a value outside its pool",
      "alpha-ns",
      required([{ key: K, operator: "In", values: ["alpha-gpu", "general"] }]),
      [`${N}@${REQ}.matchExpressions[0].values[1]`],
    ],
    [
      "affinity NotIn its own value",
      "alpha-ns",
      required([{ key: K, operator: "NotIn", values: ["beta-gpu", "alpha-gpu"] }]),
      [`${N}@${REQ}.matchExpressions[0].values[1]`],
    ],
    [
      "affinity NotIn another value keeps it in",
      "alpha-ns",
      required([{ key: K, operator: "NotIn", values: ["general"] }]),
      [],
    ],
    [
      "affinity DoesNotExist on its pool key",
      "alpha-ns",
      required([{ key: K, operator: "DoesNotExist" }]),
      [`${N}@${REQ}.matchExpressions[0]`],
    ],
    [
      "affinity Gt on its pool key",
      "alpha-ns",
      required([{ key: K, operator: "Gt", values: ["1"] }]),
      [`${N}@${REQ}.matchExpressions[0]`],
    ],
    ["affinity Exists on its pool key", "alpha-ns", required([{ key: K, operator: "Exists" }]), []],
    [
      "DoesNotExist is fine for a tenant without a pool",
      "gamma-ns",
      required([{ key: K, operator: "DoesNotExist" }]),
      [],
    ],
  ])("%s", (_name, ns, spec, want) => {
    const out = findings(ns, spec);
    expect(out.map((f) => `${f.code}@${f.path ?? ""}`)).toEqual(want);
    for (const f of out) expect(f.victim).toBeUndefined(); // no other tenant's pool is crossed
  });

  it("names the tenant's own pool in the message", () => {
    const [m] = messages(checkNodePool, "alpha-ns", { nodeSelector: { [K]: "general" } });
    expect(m).toContain(`selects ${K}=general, outside the node pool of tenant "alpha" (${K}=alpha-gpu)`);
  });

  it("names the pool's tenant as the victim when another tenant's pool is reached", () => {
    const out = findings("alpha-ns", {
      nodeSelector: { [K]: "beta-gpu" },
      tolerations: [{ operator: "Exists" }],
    });
    expect(out.map((f) => f.victim)).toEqual(["beta", "beta"]);
  });
});
