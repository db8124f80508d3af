// TG-TENANT-LABEL: a tenant label on a namespaced object is a claim; it must equal the tenant that
// owns the namespace (or be absent: mutation adds it). Applies to every kind tenant-guard sees that
// carries ownership: pods, secrets, service accounts, config maps, PVCs and workloads.
import { labelOf } from "../../k8s/access.ts";
import { labelPath, objectRef, tenantRef } from "../messages.ts";
import type { Finding, ResourceMatch, Rule, RuleContext } from "../types.ts";

export const TENANT_LABEL_CODE = "TG-TENANT-LABEL";

const core = (resource: string): ResourceMatch => ({ group: "", resource });
const apps = (resource: string): ResourceMatch => ({ group: "apps", resource });
const batch = (resource: string): ResourceMatch => ({ group: "batch", resource });

export const LABELLED_RESOURCES: readonly ResourceMatch[] = [
  core("pods"),
  core("secrets"),
  core("serviceaccounts"),
  core("configmaps"),
  core("persistentvolumeclaims"),
  core("replicationcontrollers"),
  apps("deployments"),
  apps("statefulsets"),
  apps("daemonsets"),
  apps("replicasets"),
  batch("jobs"),
  batch("cronjobs"),
];

export const tenantLabelRule: Rule = {
  code: TENANT_LABEL_CODE,
  summary: "an object's tenant label must equal the tenant that owns its namespace",
  match: LABELLED_RESOURCES,
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, settings } = ctx;
    if (req.namespace === "") return;
    const claimed = labelOf(req.object, settings.tenantLabel);
    if (claimed === undefined || claimed === ctx.namespaceTenant) return;
    out.push({
      code: TENANT_LABEL_CODE,
      message:
        `${objectRef(req)} is labelled for tenant "${claimed}" but the namespace belongs to ` +
        `${tenantRef(ctx.namespaceTenant)}; remove the label or set it to ` +
        `${ctx.namespaceTenant === undefined ? "nothing" : `"${ctx.namespaceTenant}"`}`,
      path: labelPath(settings.tenantLabel),
    });
  },
};
