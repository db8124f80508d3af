// A PersistentVolume as the directory keeps it: labels (a claim's selector may name any), the
// tenant label, spec.claimRef's namespace/name, storageClassName and status.phase. Everything else
// (the volume source with its server addresses and secret references, capacity, node affinity,
// managedFields) is dropped at once. Shared by the file backend and the cluster informer.
import { own, rec, str } from "../k8s/access.ts";
import { cleanMap } from "./build.ts";
import type { PersistentVolumeInfo } from "./view.ts";

export function persistentVolumeInfo(obj: unknown, tenantLabel: string): PersistentVolumeInfo {
  const o = rec(obj);
  const md = rec(own(o, "metadata"));
  const spec = rec(own(o, "spec"));
  const name = str(own(md, "name")) ?? "";
  const labels = cleanMap(own(md, "labels"));
  const claimed = Object.hasOwn(labels, tenantLabel) ? labels[tenantLabel] : undefined;
  const ref = rec(own(spec, "claimRef"));
  const refName = str(own(ref, "name"));
  const refNs = str(own(ref, "namespace"));
  return Object.freeze({
    name,
    labels,
    tenant: claimed === undefined || claimed === "" ? undefined : claimed,
    claimRef:
      refName === undefined || refName === "" || refNs === undefined || refNs === ""
        ? undefined
        : Object.freeze({ namespace: refNs, name: refName }),
    storageClassName: str(own(spec, "storageClassName")),
    phase: str(own(rec(own(o, "status")), "phase")),
  });
}
