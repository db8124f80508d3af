// Gives a pod its tenant's podDefaults.runtimeClassName when it names none; a class the pod names
// is the user's choice and stays (TG-POD-RUNTIME-CLASS judges it). The built-in RuntimeClass
// admission plugin runs before mutating webhooks and found no class then; because this patch changes
// the pod, the API server re-runs the built-in plugins once (as for the priority class), and
// RuntimeClass then adds the class's pod overhead and scheduling constraints itself.
// Pods only: workload templates are not mutated (catalogue.ts); their pods are.
import type { PatchOp } from "../../admission/patch.ts";
import { own } from "../../k8s/access.ts";
import type { Mutator, RuleContext } from "../types.ts";
import { podSpec, podTenant } from "./pod-target.ts";

export const podRuntimeMutator: Mutator = {
  name: "pod-runtime",
  match: [{ group: "", resource: "pods" }],
  operations: ["CREATE"],
  mutate(ctx: RuleContext, out: PatchOp[]): void {
    const className = podTenant(ctx)?.runtimeClassName;
    const spec = podSpec(ctx);
    if (className === undefined || spec === undefined) return;
    const current = own(spec, "runtimeClassName");
    if (typeof current === "string" && current !== "") return; // the user's choice stands
    out.push({ op: "add", path: "/spec/runtimeClassName", value: className });
  },
};
