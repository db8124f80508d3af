// kind -> the REST resource the API server would name in an AdmissionReview, offline (no discovery).
// Known kinds are listed; any other kind (CRDs: PyTorchJob, RayCluster, InferenceService) gets the
// English plural of its lower-cased kind, which is what every CRD in practice uses.
import type { GroupVersionKind, GroupVersionResource } from "../admission/types.ts";

const KNOWN: Readonly<Record<string, string>> = {
  "/Pod": "pods",
  "/Secret": "secrets",
  "/ServiceAccount": "serviceaccounts",
  "/ConfigMap": "configmaps",
  "/PersistentVolumeClaim": "persistentvolumeclaims",
  "/PersistentVolume": "persistentvolumes",
  "/Namespace": "namespaces",
  "/ReplicationController": "replicationcontrollers",
  "/Service": "services",
  "/Endpoints": "endpoints",
  "/ResourceQuota": "resourcequotas",
  "/LimitRange": "limitranges",
  "/Node": "nodes",
  "rbac.authorization.k8s.io/RoleBinding": "rolebindings",
  "rbac.authorization.k8s.io/ClusterRoleBinding": "clusterrolebindings",
  "rbac.authorization.k8s.io/Role": "roles",
  "rbac.authorization.k8s.io/ClusterRole": "clusterroles",
  "apps/Deployment": "deployments",
  "apps/StatefulSet": "statefulsets",
  "apps/DaemonSet": "daemonsets",
  "apps/ReplicaSet": "replicasets",
  "batch/Job": "jobs",
  "batch/CronJob": "cronjobs",
  "networking.k8s.io/NetworkPolicy": "networkpolicies",
  "networking.k8s.io/Ingress": "ingresses",
  "tenant-guard.dev/Tenant": "tenants",
};

/** Kinds that have no namespace, among those an audit is likely to meet. */
const CLUSTER_SCOPED = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "ClusterRole",
  "ClusterRoleBinding",
  "Tenant",
  "StorageClass",
  "PriorityClass",
  "RuntimeClass",
  "IngressClass",
  "CustomResourceDefinition",
  "APIService",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "CSIDriver",
  "VolumeSnapshotClass",
  "DeviceClass",
  // Kueue's cluster-scoped kinds (ClusterQueue is covered by the Cluster* rule below)
  "ResourceFlavor",
  "Cohort",
  "AdmissionCheck",
  "WorkloadPriorityClass",
  "Topology",
]);

export function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** "apps/v1" -> ["apps", "v1"]; "v1" -> ["", "v1"]. */
function splitApiVersion(apiVersion: string): [string, string] {
  const i = apiVersion.lastIndexOf("/");
  return i < 0 ? ["", apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

export function gvkOf(apiVersion: string, kind: string): GroupVersionKind {
  const [group, version] = splitApiVersion(apiVersion);
  return { group, version, kind };
}

export function resourceOf(gvk: GroupVersionKind): GroupVersionResource {
  const resource = KNOWN[`${gvk.group}/${gvk.kind}`] ?? pluralOf(gvk.kind);
  return { group: gvk.group, version: gvk.version, resource };
}

/** Cluster-scoped when the kind is known to be, or is named Cluster* (ClusterPolicy, ClusterIssuer). */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind) || /^Cluster[A-Z]/.test(kind);
}
