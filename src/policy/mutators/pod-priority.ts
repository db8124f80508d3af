// Gives a pod its tenant's priorityClassName when it has none.
//
// The built-in Priority admission plugin runs BEFORE mutating webhooks: it resolves
// spec.priority (and spec.preemptionPolicy) from the class name, or from the global default class,
// or 0. When a webhook changes the object, the API server re-runs every built-in mutating plugin
// once (apiserver pkg/admission/reinvocation.go: "Calling admit a second time will reinvoke all
// in-tree plugins"; the mutating dispatcher calls SetShouldReinvoke() when a patch changed the
// object). On that second run Priority resolves the new class and refuses the pod if spec.priority
// or spec.preemptionPolicy is still the old value ("the integer value of priority (0) must not be
// provided in pod spec; priority admission controller computed N from the given PriorityClass
// name"; plugin/pkg/admission/priority/admission.go). So setting the class also removes both
// fields, and Priority fills them in from the class on its second run.
//
// Limits: a cluster with a globalDefault PriorityClass has that class name written into the pod
// before this webhook sees it; it then counts as set and is left alone. The tenant's class must
// exist, or Priority refuses the pod ("no PriorityClass with name ... was found").
import type { PatchOp } from "../../admission/patch.ts";
import { own } from "../../k8s/access.ts";
import type { Mutator, RuleContext } from "../types.ts";
import { podSpec, podTenant } from "./pod-target.ts";

export const podPriorityMutator: Mutator = {
  name: "pod-priority",
  match: [{ group: "", resource: "pods" }],
  operations: ["CREATE"],
  mutate(ctx: RuleContext, out: PatchOp[]): void {
    const className = podTenant(ctx)?.priorityClassName;
    const spec = podSpec(ctx);
    if (className === undefined || spec === undefined) return;
    const current = own(spec, "priorityClassName");
    if (typeof current === "string" && current !== "") return; // the user's choice stands
    out.push({ op: "add", path: "/spec/priorityClassName", value: className });
    if (own(spec, "priority") !== undefined) out.push({ op: "remove", path: "/spec/priority" });
    if (own(spec, "preemptionPolicy") !== undefined)
      out.push({ op: "remove", path: "/spec/preemptionPolicy" });
  },
};
