// Stamps a pod in a tenant namespace with the tenant label and the tenant's podDefaults labels and
// annotations. Nothing the user wrote is overwritten:
// - a pod that already claims another tenant keeps the claim: hiding it would hide the violation
//   from validation (TG-TENANT-LABEL denies it);
// - a podDefaults label or annotation key the pod already has keeps the pod's value. Cost-center
//   style labels are attribution, not a boundary; overwriting them would fight the owner's
//   tooling on every create. The tenant label key is never taken from podDefaults.labels.
import type { PatchOp } from "../../admission/patch.ts";
import { isRecord, metadataOf } from "../../k8s/access.ts";
import type { Mutator, RuleContext } from "../types.ts";
import { addMissingEntries } from "./patch-maps.ts";
import { podTenant } from "./pod-target.ts";

export const podLabelsMutator: Mutator = {
  name: "pod-labels",
  match: [{ group: "", resource: "pods" }],
  operations: ["CREATE"],
  mutate(ctx: RuleContext, out: PatchOp[]): void {
    const tenant = podTenant(ctx);
    const pod = ctx.request.object;
    if (tenant === undefined || !isRecord(pod)) return;
    const tenantLabel = [ctx.settings.tenantLabel, tenant.name] as const;
    const md = metadataOf(pod);
    if (md === undefined) {
      // The API server always sends metadata; a hand-made review might not.
      const value: Record<string, unknown> = {
        labels: Object.fromEntries([
          tenantLabel,
          ...Object.entries(tenant.labels).filter(([k]) => k !== tenantLabel[0]),
        ]),
      };
      if (Object.keys(tenant.annotations).length > 0) value.annotations = { ...tenant.annotations };
      out.push({ op: "add", path: "/metadata", value });
      return;
    }
    addMissingEntries(out, md, "labels", "/metadata", tenant.labels, tenantLabel);
    addMissingEntries(out, md, "annotations", "/metadata", tenant.annotations);
  },
};
