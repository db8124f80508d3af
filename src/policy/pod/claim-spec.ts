// The two checks of a PersistentVolumeClaimSpec wherever one is written: a PVC's spec, a pod's
// (or pod template's) volumes[].ephemeral.volumeClaimTemplate.spec, a StatefulSet's
// spec.volumeClaimTemplates[].spec. `base` is the path of that spec.
//
// TG-PVC-DATA-SOURCE: spec.dataSource / spec.dataSourceRef make the provisioner copy another
// object's data into the new volume. A PersistentVolumeClaim source counts for its own tenant label
// (the directory caches PVCs), else its namespace's tenant; a VolumeSnapshot (not cached) and any
// other kind (volume populators) count for the tenant of their namespace: dataSourceRef.namespace
// (CrossNamespaceVolumeDataSource), default the claim's own. Sources in unowned or exempt
// namespaces are left to Kubernetes' own consent, the ReferenceGrant a cross-namespace source needs.
//
// TG-PVC-VOLUME: spec.volumeName binds the claim to that PersistentVolume; spec.selector lets the
// PV controller bind any free volume whose labels match. A volume labelled for another tenant, or
// bound (claimRef) to a claim of another tenant, is that tenant's data. A volumeName the directory
// does not know is allowed: the PV controller keeps such a claim Pending and binds it only once the
// volume exists with no claimRef or a claimRef naming this very claim, and the binder itself sets
// volumeName to freshly provisioned volumes the cache may not hold yet.
import { own, rec, str, type JsonRecord } from "../../k8s/access.ts";
import type { PersistentVolumeInfo } from "../../tenancy/view.ts";
import type { Finding } from "../types.ts";
import { compileSelector, selectorMatches } from "./label-selector.ts";
import { field } from "./paths.ts";
import { crosses, ownTenant, subject, type PodScope } from "./scope.ts";

export const PVC_DATA_SOURCE = "TG-PVC-DATA-SOURCE";
export const PVC_VOLUME = "TG-PVC-VOLUME";

const SNAPSHOT_GROUP = "snapshot.storage.k8s.io";

interface SourceRef {
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
  /** Only dataSourceRef has one; absent means the claim's namespace. */
  readonly namespace: string | undefined;
}

function sourceRef(x: unknown, withNamespace: boolean): SourceRef | undefined {
  const r = rec(x);
  const kind = str(own(r, "kind"));
  const name = str(own(r, "name"));
  if (kind === undefined || kind === "" || name === undefined || name === "") return undefined;
  const ns = withNamespace ? str(own(r, "namespace")) : undefined;
  return { apiGroup: str(own(r, "apiGroup")) ?? "", kind, name, namespace: ns === "" ? undefined : ns };
}

function sameSource(a: SourceRef, b: SourceRef): boolean {
  return a.apiGroup === b.apiGroup && a.kind === b.kind && a.name === b.name && a.namespace === b.namespace;
}

function describeSource(s: SourceRef, ns: string): string {
  const where = `in namespace "${ns}"`;
  if (s.apiGroup === "" && s.kind === "PersistentVolumeClaim")
    return `persistent volume claim "${s.name}" ${where}`;
  if (s.apiGroup === SNAPSHOT_GROUP && s.kind === "VolumeSnapshot")
    return `volume snapshot "${s.name}" ${where}`;
  return `${s.kind}${s.apiGroup === "" ? "" : `.${s.apiGroup}`} "${s.name}" ${where}`;
}

export function checkClaimDataSource(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  const ref = sourceRef(own(spec, "dataSourceRef"), true);
  if (ref !== undefined) checkSource(scope, ref, base, "dataSourceRef", out);
  const src = sourceRef(own(spec, "dataSource"), false);
  // The API server mirrors one field into the other: the same source is judged once.
  if (src !== undefined && (ref === undefined || !sameSource(src, ref)))
    checkSource(scope, src, base, "dataSource", out);
}

function checkSource(scope: PodScope, s: SourceRef, base: string, fieldName: string, out: Finding[]): void {
  const ns = s.namespace ?? scope.namespace;
  const view = scope.ctx.view;
  const owner =
    s.apiGroup === "" && s.kind === "PersistentVolumeClaim"
      ? view.ownerOfObject("PersistentVolumeClaim", ns, s.name)
      : view.tenantOfNamespace(ns);
  if (!crosses(scope, owner)) return;
  const path = field(base, fieldName);
  out.push({
    code: PVC_DATA_SOURCE,
    message:
      `${subject(scope)} would copy the data of ${describeSource(s, ns)}, which belongs to tenant ` +
      `"${owner}", but the namespace belongs to ${ownTenant(scope)}; clone or restore from a source ` +
      `in your own tenant's namespaces (or ask "${owner}" to list your tenant in sharedWith)`,
    path: s.namespace !== undefined && s.namespace !== scope.namespace ? `${path}.namespace` : `${path}.name`,
    victim: owner,
  });
}

export function checkClaimVolume(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  const volumeName = str(own(spec, "volumeName"));
  if (volumeName !== undefined && volumeName !== "") {
    const pv = scope.ctx.view.persistentVolume(volumeName);
    if (pv !== undefined) checkNamedVolume(scope, pv, field(base, "volumeName"), out);
  }
  const selector = compileSelector(own(spec, "selector"));
  if (selector === undefined) return;
  let first: PersistentVolumeInfo | undefined;
  let more = 0;
  for (const pv of scope.ctx.view.tenantPersistentVolumes()) {
    if (!crosses(scope, pv.tenant) || !selectorMatches(selector, pv.labels)) continue;
    if (first === undefined) first = pv;
    else more++;
  }
  if (first === undefined) return;
  const owner = first.tenant as string;
  out.push({
    code: PVC_VOLUME,
    message:
      `${subject(scope)} has a selector that matches persistent volume "${first.name}"` +
      `${more > 0 ? ` (and ${more} more of other tenants)` : ""}, labelled for tenant "${owner}", but ` +
      `the namespace belongs to ${ownTenant(scope)}; narrow the selector to your own tenant's volumes ` +
      `(e.g. ${scope.ctx.view.tenantLabel}: ${scope.tenant ?? "<tenant>"})`,
    path: field(base, "selector"),
    victim: owner,
  });
}

function checkNamedVolume(scope: PodScope, pv: PersistentVolumeInfo, path: string, out: Finding[]): void {
  const ref = pv.claimRef;
  // The volume's claim holds its data: its tenant counts before the volume's own label.
  const holder =
    ref === undefined
      ? undefined
      : scope.ctx.view.ownerOfObject("PersistentVolumeClaim", ref.namespace, ref.name);
  if (ref !== undefined && crosses(scope, holder)) {
    out.push({
      code: PVC_VOLUME,
      message:
        `${subject(scope)} names persistent volume "${pv.name}", which is bound to claim ` +
        `"${ref.namespace}/${ref.name}" of tenant "${holder}", but the namespace belongs to ` +
        `${ownTenant(scope)}; remove spec.volumeName or name one of your own tenant's volumes`,
      path,
      victim: holder,
    });
    return;
  }
  if (!crosses(scope, pv.tenant)) return;
  out.push({
    code: PVC_VOLUME,
    message:
      `${subject(scope)} names persistent volume "${pv.name}", which is labelled for tenant ` +
      `"${pv.tenant}", but the namespace belongs to ${ownTenant(scope)}; remove spec.volumeName or ` +
      `name one of your own tenant's volumes`,
    path,
    victim: pv.tenant,
  });
}
