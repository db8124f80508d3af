// PersistentVolumes are cluster-scoped: whoever writes one decides what storage (an NFS export, a
// host path, a cloud disk) a claim of any tenant can bind to.
//
// TG-PV-TENANT: a tenant identity creating or updating a PersistentVolume. Volumes are the
//   platform's (or a provisioner's, which acts for no tenant); a tenant that could write one could
//   point it at another tenant's disk or pre-bind it (spec.claimRef) to another tenant's claim.
// TG-PV-TENANT-LABEL-CHANGE: a PV carrying the tenant label is that tenant's (TG-PVC-VOLUME keeps
//   other tenants' claims off it). Changing or removing that label moves it, so only an exempt
//   admin may, as for namespaced objects (TG-TENANT-LABEL-CHANGE).
import { labelOf } from "../../k8s/access.ts";
import { labelPath, objectName } from "../messages.ts";
import { platformWriteFinding } from "../platform-write.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";

const PV_TENANT_CODE = "TG-PV-TENANT";
const PV_TENANT_LABEL_CHANGE_CODE = "TG-PV-TENANT-LABEL-CHANGE";

function claimOf(obj: unknown, label: string): string | undefined {
  const v = labelOf(obj, label);
  return v === "" ? undefined : v;
}

export const pvTenantRule: Rule = {
  code: PV_TENANT_CODE,
  summary: "a tenant identity may not create or update a PersistentVolume (or its status)",
  match: [{ group: "", resource: "persistentvolumes", subresource: "*" }],
  operations: ["CREATE", "UPDATE"],
  // Who writes decides, not what changes: a status-only update by a tenant is still its write.
  judgesRequester: true,
  check(ctx: RuleContext, out: Finding[]): void {
    const sub = ctx.request.subResource;
    const f = platformWriteFinding(ctx, {
      code: PV_TENANT_CODE,
      what: `persistentvolume${sub ? `/${sub}` : ""}`,
      why:
        "volumes are cluster-scoped and made by the platform team or a provisioner; create a " +
        "PersistentVolumeClaim instead",
      path: "spec",
    });
    if (f !== undefined) out.push(f);
  },
};

export const pvTenantLabelChangeRule: Rule = {
  code: PV_TENANT_LABEL_CHANGE_CODE,
  summary: "only an admin may change or remove the tenant label of a PersistentVolume",
  match: [{ group: "", resource: "persistentvolumes", subresource: "*" }],
  operations: ["UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, requester, settings, view } = ctx;
    if (requester.exempt) return;
    // The API server always sends oldObject on UPDATE; the directory's copy stands in otherwise.
    const before =
      req.oldObject === undefined
        ? view.persistentVolume(req.name)?.tenant
        : claimOf(req.oldObject, settings.tenantLabel);
    if (before === undefined) return;
    const after = claimOf(req.object, settings.tenantLabel);
    if (after === before) return;
    const what = after === undefined ? "removes the tenant label of" : `moves to tenant "${after}"`;
    out.push({
      code: PV_TENANT_LABEL_CHANGE_CODE,
      message:
        `"${requester.username}" ${what} persistentvolume "${objectName(req)}" of tenant ` +
        `"${before}"; only a cluster admin may change which tenant owns a volume: keep the ` +
        `tenant label "${before}"`,
      path: labelPath(settings.tenantLabel),
      tenant: before,
      victim: before,
    });
  },
};
