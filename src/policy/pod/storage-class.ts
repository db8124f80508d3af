// TG-PVC-STORAGE-CLASS: a claim's storageClassName picks the provisioner and so the disk a tenant
// pays for (fast-ssd vs standard) and where its data lives. A tenant with spec.storage.allowedClasses
// may name only those (and its storage.defaultClass); absent list: any class. Judged wherever a
// claim spec is written (claim-spec.ts lists the places).
//
// Two names are never judged: no storageClassName at all (the claim is still to be defaulted:
// the built-in DefaultStorageClass admission plugin, which runs before every webhook, writes the
// cluster's default class into a PVC with no field, and tenant-guard's /mutate writes the tenant's
// defaultClass when there is no cluster default; the PVCs that StatefulSets and ephemeral volumes
// spawn pass through both as PVC creates), and an explicit "" (no class: bind statically to a
// pre-provisioned volume; the plugin and the PV controller both keep it, TG-PVC-VOLUME guards which
// volume). A class the plugin wrote is judged like one the user wrote: the webhook cannot tell them
// apart, so a cluster default outside the list must be listed, or made not the default.
import { own, str, type JsonRecord } from "../../k8s/access.ts";
import type { Finding } from "../types.ts";
import { field } from "./paths.ts";
import { ownTenant, subject, type PodScope } from "./scope.ts";

export const PVC_STORAGE_CLASS = "TG-PVC-STORAGE-CLASS";

export function checkClaimStorageClass(
  scope: PodScope,
  spec: JsonRecord,
  base: string,
  out: Finding[],
): void {
  const allowed = scope.policy?.storageClasses;
  if (allowed === undefined) return;
  const name = str(own(spec, "storageClassName"));
  if (name === undefined || name === "" || allowed.has(name) || scope.policy?.defaultStorageClass === name)
    return;
  out.push({
    code: PVC_STORAGE_CLASS,
    message:
      `${subject(scope)} asks for storage class "${name}", which ${ownTenant(scope)} may not use; ` +
      `${choices(scope, allowed)}, leave storageClassName unset for the tenant's default, or set it to "" ` +
      `to bind a pre-provisioned volume`,
    path: field(base, "storageClassName"),
  });
}

/** The classes the tenant may name, built only for a finding. */
function choices(scope: PodScope, allowed: ReadonlySet<string>): string {
  const all = new Set(allowed);
  const d = scope.policy?.defaultStorageClass;
  if (d !== undefined) all.add(d);
  if (all.size === 0) return "its storage.allowedClasses list is empty";
  return `use one of ${[...all]
    .sort()
    .map((c) => `"${c}"`)
    .join(", ")}`;
}
