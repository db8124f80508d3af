// The resources the fake API server speaks: the ones tenant-guard's cluster directory lists and
// watches, at their real all-namespaces collection paths. A server can leave some out
// (FakeApiServer.unserved: CRDs not installed).
export interface ResourceDef {
  readonly plural: string;
  readonly kind: string;
  readonly listKind: string;
  readonly apiVersion: string;
  readonly namespaced: boolean;
  /** Collection path: /api/v1/<plural> or /apis/<group>/<version>/<plural>. */
  readonly path: string;
}

function core(plural: string, kind: string, namespaced: boolean): ResourceDef {
  return { plural, kind, listKind: `${kind}List`, apiVersion: "v1", namespaced, path: `/api/v1/${plural}` };
}

function group(plural: string, kind: string, apiVersion: string): ResourceDef {
  return {
    plural,
    kind,
    listKind: `${kind}List`,
    apiVersion,
    namespaced: true,
    path: `/apis/${apiVersion}/${plural}`,
  };
}

export const RESOURCES: readonly ResourceDef[] = [
  core("namespaces", "Namespace", false),
  core("nodes", "Node", false),
  core("serviceaccounts", "ServiceAccount", true),
  core("secrets", "Secret", true),
  core("configmaps", "ConfigMap", true),
  core("persistentvolumeclaims", "PersistentVolumeClaim", true),
  core("persistentvolumes", "PersistentVolume", false),
  core("pods", "Pod", true),
  // Counted only when a Tenant budgets them (count/services, count/rayclusters.ray.io).
  core("services", "Service", true),
  {
    plural: "rayclusters",
    kind: "RayCluster",
    listKind: "RayClusterList",
    apiVersion: "ray.io/v1",
    namespaced: true,
    path: "/apis/ray.io/v1/rayclusters",
  },
  group("ingresses", "Ingress", "networking.k8s.io/v1"),
  group("httproutes", "HTTPRoute", "gateway.networking.k8s.io/v1"),
  group("grpcroutes", "GRPCRoute", "gateway.networking.k8s.io/v1"),
  group("gateways", "Gateway", "gateway.networking.k8s.io/v1"),
  // v1 since Gateway API v1.6 (standard channel); a cluster without them: FakeApiServer.unserved.
  group("tlsroutes", "TLSRoute", "gateway.networking.k8s.io/v1"),
  group("listenersets", "ListenerSet", "gateway.networking.k8s.io/v1"),
  group("tcproutes", "TCPRoute", "gateway.networking.k8s.io/v1"),
  group("udproutes", "UDPRoute", "gateway.networking.k8s.io/v1"),
  {
    plural: "tenants",
    kind: "Tenant",
    listKind: "TenantList",
    apiVersion: "tenant-guard.dev/v1alpha1",
    namespaced: false,
    path: "/apis/tenant-guard.dev/v1alpha1/tenants",
  },
  {
    plural: "clusterqueues",
    kind: "ClusterQueue",
    listKind: "ClusterQueueList",
    apiVersion: "kueue.x-k8s.io/v1beta1",
    namespaced: false,
    path: "/apis/kueue.x-k8s.io/v1beta1/clusterqueues",
  },
];

export const BY_PATH: ReadonlyMap<string, ResourceDef> = new Map(RESOURCES.map((r) => [r.path, r]));
export const BY_KIND: ReadonlyMap<string, ResourceDef> = new Map(RESOURCES.map((r) => [r.kind, r]));

export function resourceOfKind(kind: string): ResourceDef {
  const def = BY_KIND.get(kind);
  if (def === undefined) throw new Error(`fake API server does not serve kind ${kind}`);
  return def;
}
