// Builders for the Kubernetes objects test worlds are made of, shaped as the API server stores
// them: one place, so every world labels ownership the same way.
import type { JsonRecord } from "../../src/k8s/access.ts";

export const TENANT_LABEL = "tenant-guard.dev/tenant";

export function tenantObject(name: string, spec: JsonRecord): JsonRecord {
  return { apiVersion: "tenant-guard.dev/v1alpha1", kind: "Tenant", metadata: { name }, spec };
}

/** A Namespace, owned by `tenant` when given. */
export function namespaceObject(name: string, tenant?: string): JsonRecord {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels: tenant === undefined ? {} : { [TENANT_LABEL]: tenant } },
  };
}

/** A namespaced object (ServiceAccount, Secret, ...), labelled for `tenant` when given. */
export function namespacedObject(kind: string, namespace: string, name: string, tenant?: string): JsonRecord {
  return {
    apiVersion: "v1",
    kind,
    metadata: { name, namespace, ...(tenant === undefined ? {} : { labels: { [TENANT_LABEL]: tenant } }) },
  };
}
