// A Tenant's namespace options (spec.namespaces, DESIGN.md section 7):
//
// TG-NS-MAX: a namespace create (or a relabel) that would make tenant T own more than
//   spec.namespaces.max namespaces. The count is the directory's (an O(1) set size), so two creates
//   admitted within the few milliseconds before the directory sees the first can both pass and
//   leave T one over: the cap is a guard against runaway namespace sprawl, not an exact ledger.
//   Exempt identities are held to it too (the platform team raises max instead): a cap that an
//   admin's GitOps bot silently exceeds is not one. system:masters is never sent (break-glass).
// TG-NS-LABELS: spec.namespaces.labels (the Pod Security labels case) are the platform's. /mutate
//   sets them at create; a non-exempt identity may not create a namespace with another value, nor
//   change or remove one afterwards (the status and finalize subresources keep labels too). A value
//   that was already off before an update and is left as it was is not the tenant's doing.
import { labelOf, type JsonRecord } from "../../k8s/access.ts";
import { labelPath } from "../messages.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";
import { targetNamespace } from "./namespace-target.ts";

const NS_MAX_CODE = "TG-NS-MAX";
export const NS_LABELS_CODE = "TG-NS-LABELS";

/**
 * Keys a Tenant cannot pin: the tenant label (ownership moves only through an admin, and a pinned
 * value naming another tenant would hand the namespace over) and the name label the API server sets.
 */
export function isReservedKey(key: string, tenantLabel: string): boolean {
  return key === tenantLabel || key === "kubernetes.io/metadata.name";
}

function claim(obj: JsonRecord | undefined, label: string): string | undefined {
  const v = labelOf(obj, label);
  return v === "" ? undefined : v;
}

export const namespaceMaxRule: Rule = {
  code: NS_MAX_CODE,
  summary: "a tenant may not own more namespaces than its spec.namespaces.max",
  match: [{ group: "", resource: "namespaces" }],
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, settings, view } = ctx;
    const tenant = claim(req.object, settings.tenantLabel);
    if (tenant === undefined) return;
    // An update that keeps the namespace in the same tenant adds nothing to its count.
    if (req.operation === "UPDATE" && claim(req.oldObject, settings.tenantLabel) === tenant) return;
    const max = view.tenant(tenant)?.spec.namespaces?.max;
    if (max === undefined) return;
    const ns = targetNamespace(req) || "(generated name)";
    // Itself excluded: the audit's overlay (and a directory that already saw it) counts it.
    const owned = view.namespacesOf(tenant);
    const others = owned.size - (owned.has(ns) ? 1 : 0);
    if (others < max) return;
    out.push({
      code: NS_MAX_CODE,
      message:
        `namespace "${ns}" would be namespace ${others + 1} of tenant "${tenant}", which may own ` +
        `at most ${max} (spec.namespaces.max); delete one of its namespaces or ask the platform ` +
        `team to raise the limit`,
      path: labelPath(settings.tenantLabel),
      tenant,
    });
  },
};

export const namespaceLabelsRule: Rule = {
  code: NS_LABELS_CODE,
  summary: "a tenant may not set, change or remove the labels its Tenant pins on its namespaces",
  match: [{ group: "", resource: "namespaces", subresource: "*" }],
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, requester, settings, view } = ctx;
    if (requester.exempt) return;
    // The tenant the namespace belonged to decides; moving it is TG-NS-TENANT-LABEL-CHANGE's.
    const old = req.operation === "UPDATE" ? req.oldObject : undefined;
    const tenant =
      req.operation === "CREATE"
        ? claim(req.object, settings.tenantLabel)
        : old === undefined
          ? view.tenantOfNamespace(targetNamespace(req))
          : claim(old, settings.tenantLabel);
    const pinned = tenant === undefined ? undefined : view.tenant(tenant)?.spec.namespaces?.labels;
    if (tenant === undefined || pinned === undefined) return;
    const ns = targetNamespace(req) || "(generated name)";
    for (const key of Object.keys(pinned)) {
      if (isReservedKey(key, settings.tenantLabel)) continue;
      const want = pinned[key] as string;
      const now = labelOf(req.object, key);
      if (now === want) continue;
      const was = labelOf(old, key);
      if (old !== undefined && now === was) continue;
      const what = now === undefined ? `removes label "${key}"` : `sets label "${key}" to "${now}"`;
      out.push({
        code: NS_LABELS_CODE,
        message:
          `"${requester.username}" ${what} on namespace "${ns}", but tenant "${tenant}" pins ` +
          `"${key}": "${want}" on its namespaces (spec.namespaces.labels); keep that value, or ask ` +
          `the platform team to change the Tenant`,
        path: labelPath(key),
        tenant,
      });
    }
  },
};
