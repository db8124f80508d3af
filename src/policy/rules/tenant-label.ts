// TG-TENANT-LABEL: a tenant label on a namespaced object is a claim; it must equal the tenant that
// owns the namespace (or be absent: mutation adds it). Applies to every kind tenant-guard sees that
// carries ownership: pods, secrets, service accounts, config maps, PVCs, and every kind with pod
// templates (the workload table podTargets() reads: Kubernetes kinds, PodTemplates, the known ML
// custom resources and whatever config adds in workloads.templates).
//
// TG-TENANT-LABEL-CHANGE: an existing object whose tenant label names tenant X in a namespace X
// does not own is X's (README, "Ownership"). Changing or removing that label moves the object to
// the namespace's tenant: the namespace owner "relabels and then uses" another tenant's service
// account or secret. Only an exempt admin may do that, exactly as for namespace labels (Capsule
// CVE-2022-46167, at the object level).
import { labelOf, type JsonRecord } from "../../k8s/access.ts";
import type { CachedKind } from "../../tenancy/view.ts";
import { labelPath, objectRef, tenantRef } from "../messages.ts";
import type { Finding, ResourceMatch, Rule, RuleContext } from "../types.ts";
import { DEFAULT_WORKLOADS, workloadKey } from "../workloads/settings.ts";

export const TENANT_LABEL_CODE = "TG-TENANT-LABEL";
export const TENANT_LABEL_CHANGE_CODE = "TG-TENANT-LABEL-CHANGE";

const core = (resource: string): ResourceMatch => ({ group: "", resource });

/** The kinds without pod templates that carry ownership; pod-template kinds come from the workload table. */
export const LABELLED_RESOURCES: readonly ResourceMatch[] = [
  core("pods"),
  core("secrets"),
  core("serviceaccounts"),
  core("configmaps"),
  core("persistentvolumeclaims"),
];

/** The directory caches these kinds, so it can stand in for a missing oldObject. */
const CACHED: ReadonlyMap<string, CachedKind> = new Map([
  ["secrets", "Secret"],
  ["serviceaccounts", "ServiceAccount"],
  ["configmaps", "ConfigMap"],
  ["persistentvolumeclaims", "PersistentVolumeClaim"],
]);

const PLAIN: ReadonlySet<string> = new Set(LABELLED_RESOURCES.map((m) => workloadKey(m.group, m.resource)));

/** Does tenant-guard treat this request's kind as carrying a tenant label? */
function isLabelledKind(ctx: RuleContext): boolean {
  const { group, resource } = ctx.request.resource;
  const key = workloadKey(group, resource);
  return PLAIN.has(key) || (ctx.settings.workloads ?? DEFAULT_WORKLOADS).kinds.has(key);
}

/** An empty label claims nothing (the directory reads it the same way). */
function claimOf(obj: JsonRecord | undefined, label: string): string | undefined {
  const v = labelOf(obj, label);
  return v === "" ? undefined : v;
}

export const tenantLabelRule: Rule = {
  code: TENANT_LABEL_CODE,
  summary: "an object's tenant label must equal the tenant that owns its namespace",
  // Which kinds carry pod templates is configuration: match everything, filter in check().
  match: "*",
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, settings } = ctx;
    if (req.namespace === "" || req.subResource !== "" || !isLabelledKind(ctx)) return;
    // An exempt admin maintaining or moving an existing object is the one allowed to. A CREATE is
    // judged for everyone: controllers create pods and ReplicaSets on a tenant's behalf.
    if (req.operation === "UPDATE" && ctx.requester.exempt) return;
    const claimed = labelOf(req.object, settings.tenantLabel);
    if (claimed === undefined || claimed === ctx.namespaceTenant) return;
    out.push({
      code: TENANT_LABEL_CODE,
      message:
        `${objectRef(req)} is labelled for tenant "${claimed}" but the namespace belongs to ` +
        `${tenantRef(ctx.namespaceTenant)}; remove the label or set it to ` +
        `${ctx.namespaceTenant === undefined ? "nothing" : `"${ctx.namespaceTenant}"`}`,
      path: labelPath(settings.tenantLabel),
      ...(claimed === "" ? {} : { victim: claimed }),
    });
  },
};

/** The tenant the object counted for before this update: its old label, else the directory's copy. */
function previousClaim(ctx: RuleContext): string | undefined {
  const { request: req, settings, view } = ctx;
  if (req.oldObject !== undefined) return claimOf(req.oldObject, settings.tenantLabel);
  // The API server always sends oldObject on UPDATE; a malformed review must not slip a change through.
  const kind = req.resource.group === "" ? CACHED.get(req.resource.resource) : undefined;
  const cached = kind === undefined ? undefined : view.object(kind, req.namespace, req.name);
  const v = cached?.labels[settings.tenantLabel];
  return v === "" ? undefined : v;
}

export const tenantLabelChangeRule: Rule = {
  code: TENANT_LABEL_CHANGE_CODE,
  summary: "only an admin may change or remove the tenant label of an object that is another tenant's",
  match: "*",
  operations: ["UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, requester, settings } = ctx;
    // status: the API server keeps metadata changes made through a status subresource.
    if (requester.exempt || req.namespace === "") return;
    if ((req.subResource !== "" && req.subResource !== "status") || !isLabelledKind(ctx)) return;
    const before = previousClaim(ctx);
    // A label that repeats the namespace's tenant moves nothing; TG-TENANT-LABEL judges a new claim.
    if (before === undefined || before === ctx.namespaceTenant) return;
    const after = claimOf(req.object, settings.tenantLabel);
    if (after === before) return;
    const what =
      after === undefined
        ? `removes the tenant label of ${objectRef(req)}, which belongs to tenant "${before}"`
        : `moves ${objectRef(req)} from tenant "${before}" to tenant "${after}"`;
    out.push({
      code: TENANT_LABEL_CHANGE_CODE,
      message:
        `"${requester.username}" ${what} (the namespace belongs to ${tenantRef(ctx.namespaceTenant)}); ` +
        `only a cluster admin may change which tenant owns an object: keep the tenant label ` +
        `"${before}", and use an object of your own tenant instead`,
      path: labelPath(settings.tenantLabel),
      victim: before,
    });
  },
};
