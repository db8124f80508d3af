// Stamps a pod in a tenant namespace with the tenant label when it has none. A pod that already
// claims another tenant is left alone: hiding the claim would hide the violation from validation.
import { pointer, type PatchOp } from "../../admission/patch.ts";
import { isRecord, metadataOf, own } from "../../k8s/access.ts";
import type { Mutator, RuleContext } from "../types.ts";

export const podTenantLabelMutator: Mutator = {
  name: "pod-tenant-label",
  match: [{ group: "", resource: "pods" }],
  operations: ["CREATE"],
  mutate(ctx: RuleContext, out: PatchOp[]): void {
    const tenant = ctx.namespaceTenant;
    if (tenant === undefined) return;
    const key = ctx.settings.tenantLabel;
    const labels = own(metadataOf(ctx.request.object), "labels");
    if (!isRecord(labels)) {
      if (metadataOf(ctx.request.object) === undefined)
        out.push({ op: "add", path: "/metadata", value: { labels: { [key]: tenant } } });
      else out.push({ op: "add", path: "/metadata/labels", value: { [key]: tenant } });
      return;
    }
    if (!Object.hasOwn(labels, key))
      out.push({ op: "add", path: pointer("metadata", "labels", key), value: tenant });
  },
};
