// TG-POD-NODE-POOL on pods/binding: a Binding's target node judged like spec.nodeName for the pod's
// namespace tenant, unless an exempt requester (the scheduler) binds.
import { describe, expect, it } from "vitest";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { buildContext } from "../../../../src/policy/engine.ts";
import { ruleRegistry } from "../../../../src/policy/catalogue.ts";
import { podBindingNodeRule } from "../../../../src/policy/rules/pod-binding.ts";
import type { Finding } from "../../../../src/policy/types.ts";
import { request, settings, view } from "./world.ts";

function bind(namespace: string, target: JsonRecord, username = "alice", groups: string[] = []): Finding[] {
  const req = {
    ...request(namespace, { kind: "Binding", apiVersion: "v1", metadata: { name: "p", namespace }, target }),
    kind: { group: "", version: "v1", kind: "Binding" },
    subResource: "binding",
    userInfo: { username, groups },
  };
  const out: Finding[] = [];
  podBindingNodeRule.check(buildContext(req, view, settings), out);
  return out;
}

describe("pods/binding", () => {
  it("matches CREATE of pods/binding and of the legacy bindings resource only", () => {
    expect(podBindingNodeRule.match).toEqual([
      { group: "", resource: "pods", subresource: "binding" },
      { group: "", resource: "bindings" },
    ]);
    expect(podBindingNodeRule.operations).toEqual(["CREATE"]);
  });

  it("the legacy bindings resource reaches the rule through the registry and is judged alike", () => {
    const target = { kind: "Node", name: "alpha-node" };
    const legacy = {
      ...request(
        "gamma-ns",
        { kind: "Binding", apiVersion: "v1", metadata: { name: "p" }, target },
        "bindings",
      ),
      kind: { group: "", version: "v1", kind: "Binding" },
      userInfo: { username: "alice", groups: [] },
    };
    const rules = ruleRegistry().forRequest(legacy);
    expect(rules).toContain(podBindingNodeRule);
    const out: Finding[] = [];
    podBindingNodeRule.check(buildContext(legacy, view, settings), out);
    expect(out.map((f) => [f.code, f.path, f.victim])).toEqual([
      ["TG-POD-NODE-POOL", "target.name", "alpha"],
    ]);
  });

  it.each([
    [
      "gamma bound to alpha's node",
      "gamma-ns",
      { kind: "Node", name: "alpha-node" },
      ["target.name"],
      "alpha",
    ],
    [
      "alpha bound to a node outside its pool",
      "alpha-ns",
      { kind: "Node", name: "free-node" },
      ["target.name"],
      undefined,
    ],
    ["alpha bound to its own pool's node", "alpha-ns", { kind: "Node", name: "alpha-node" }, [], undefined],
    [
      "gamma bound to a node in no pool (kind may be empty)",
      "gamma-ns",
      { name: "free-node" },
      [],
      undefined,
    ],
    ["an unknown node", "gamma-ns", { kind: "Node", name: "ghost-1" }, ["target.name"], undefined],
    [
      "a target of another kind is the API server's to refuse",
      "gamma-ns",
      { kind: "Pod", name: "alpha-node" },
      [],
      undefined,
    ],
    ["no target name is the API server's to refuse", "gamma-ns", { kind: "Node" }, [], undefined],
  ])("%s", (_name, ns, target, paths, victim) => {
    const out = bind(ns, target);
    expect(out.map((f) => f.path)).toEqual(paths);
    for (const f of out) {
      expect(f.code).toBe("TG-POD-NODE-POOL");
      expect(f.victim).toBe(victim);
    }
  });

  it("says which pod is bound to which node, and whose pool that is", () => {
    const [f] = bind("gamma-ns", { kind: "Node", name: "alpha-node" });
    expect(f?.message).toMatch(
      /^pod "p" in namespace "gamma-ns" is bound to node "alpha-node", which is in the node pool of tenant "alpha" \(label pool\.example\/name=alpha-gpu\), but the namespace belongs to tenant "gamma"; do not bind the pod yourself/,
    );
  });

  it("lets the scheduler and other exempt requesters bind anywhere the pod's spec allowed", () => {
    expect(bind("gamma-ns", { kind: "Node", name: "alpha-node" }, "system:kube-scheduler")).toEqual([]);
    expect(bind("gamma-ns", { kind: "Node", name: "alpha-node" }, "x", ["system:masters"])).toEqual([]);
  });
});
