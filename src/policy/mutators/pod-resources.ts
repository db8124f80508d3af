// Default requests/limits for every container and init container of a pod in a tenant namespace
// (rules in container-resources.ts).
//
// Ephemeral containers are never touched: the API server forbids spec.ephemeralContainers on pod
// create ("cannot be set on create"; they are added later through the ephemeralcontainers
// subresource) and forbids `resources` on an ephemeral container ("cannot be set for an Ephemeral
// Container"), so defaulting them could only make a valid request invalid.
import type { PatchOp } from "../../admission/patch.ts";
import { own, rec } from "../../k8s/access.ts";
import type { Mutator, RuleContext } from "../types.ts";
import { defaultContainerResources } from "./container-resources.ts";
import { podSpec, podTenant } from "./pod-target.ts";

const CONTAINER_LISTS = ["initContainers", "containers"] as const;

export const podResourcesMutator: Mutator = {
  name: "pod-resources",
  match: [{ group: "", resource: "pods" }],
  operations: ["CREATE"],
  mutate(ctx: RuleContext, out: PatchOp[]): void {
    const tenant = podTenant(ctx);
    const spec = podSpec(ctx);
    if (tenant === undefined || spec === undefined) return;
    const defaults = tenant.resourceDefaults;
    const podLevel = rec(own(spec, "resources"));
    for (const field of CONTAINER_LISTS) {
      const list = own(spec, field);
      if (!Array.isArray(list)) continue;
      for (let i = 0; i < list.length; i++) {
        const c = rec(list[i]);
        if (c !== undefined) defaultContainerResources(c, `/spec/${field}/${i}`, defaults, podLevel, out);
      }
    }
  },
};
