import { describe, expect, it } from "vitest";
import { checkNodePool } from "../../../../src/policy/pod/node-pool.ts";
import { messages, run } from "./world.ts";

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
      "matchFields In",
      "alpha-ns",
      required([{ key: K, operator: "In", values: ["beta-gpu"] }], "matchFields"),
      [`${N}@${REQ}.matchFields[0].values[0]`],
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
