// The directory objects among the audited manifests (Namespace, Tenant, ServiceAccount, Secret,
// ConfigMap, PVC, PersistentVolume) as an index to lay over the directory: see overlay-view.ts.
import { metadataOf, own, str } from "../k8s/access.ts";
import { buildIndex, isCachedKind } from "../tenancy/build.ts";
import type { TenantIndex } from "../tenancy/tenant-index.ts";
import type { SourcedObject } from "../tenancy/yaml-objects.ts";

export function manifestIndex(
  objects: readonly SourcedObject[],
  tenantLabel: string,
  defaultNamespace: string,
): TenantIndex {
  const relevant: SourcedObject[] = [];
  for (const src of objects) {
    const kind = src.object.kind;
    const md = metadataOf(src.object);
    if (!str(own(md, "name"))) continue; // generateName only: nothing can refer to it by name
    if (kind === "Namespace" || kind === "Tenant" || kind === "PersistentVolume") relevant.push(src);
    else if (isCachedKind(kind)) {
      const ns = str(own(md, "namespace")) || defaultNamespace;
      relevant.push({ ...src, object: { ...src.object, metadata: { ...md, namespace: ns } } });
    }
  }
  return buildIndex(relevant, tenantLabel).index;
}
