// --cluster: list what exists (namespaces, nodes, Tenants, service accounts, secret and config map
// METADATA, PVCs, PersistentVolumes, DRA claims, pods, role bindings, workloads, Ingresses and the
// Gateway API kinds, TLS/TCP/UDP routes and ListenerSets included), page by page with progress on stderr, and return the objects to audit plus a
// directory built from the same snapshot.
import { rec, str, type JsonRecord } from "../k8s/access.ts";
import { buildIndexFromObjects } from "../tenancy/build.ts";
import type { TenantIndex } from "../tenancy/tenant-index.ts";
import type { AuditTarget } from "./evaluate.ts";
import { overBudget } from "./over-budget.ts";
import type { KubeLister } from "./kube-list.ts";
import { listServed } from "./served-version.ts";

export interface Source {
  readonly path: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadataOnly?: boolean;
  /** 404 means "not installed / not served": nothing to audit, not a failure. */
  readonly optional?: boolean;
  /** Older versions of the group to list when the server does not serve `apiVersion` (404). */
  readonly olderVersions?: readonly string[];
}

/** resource.k8s.io: v1 (Kubernetes 1.34+), v1beta2 (1.33), v1beta1 (1.32). */
const DRA_OLDER = ["v1beta2", "v1beta1"];

const GATEWAY_V1 = "gateway.networking.k8s.io/v1";

export const SOURCES: readonly Source[] = [
  { path: "/api/v1/namespaces", apiVersion: "v1", kind: "Namespace" },
  // Every live pod names its node: without the nodes, each would be "on a node the directory does not know".
  { path: "/api/v1/nodes", apiVersion: "v1", kind: "Node" },
  {
    path: "/apis/tenant-guard.dev/v1alpha1/tenants",
    apiVersion: "tenant-guard.dev/v1alpha1",
    kind: "Tenant",
  },
  { path: "/api/v1/serviceaccounts", apiVersion: "v1", kind: "ServiceAccount" },
  { path: "/api/v1/secrets", apiVersion: "v1", kind: "Secret", metadataOnly: true },
  { path: "/api/v1/configmaps", apiVersion: "v1", kind: "ConfigMap", metadataOnly: true },
  { path: "/api/v1/persistentvolumeclaims", apiVersion: "v1", kind: "PersistentVolumeClaim" },
  // The directory's PVs: which tenant a volume (and the claim it is bound to) belongs to.
  { path: "/api/v1/persistentvolumes", apiVersion: "v1", kind: "PersistentVolume" },
  // DRA claims (TG-DRA-DEVICE-CLASS); a cluster without DRA serves none of the versions.
  {
    path: "/apis/resource.k8s.io/v1/resourceclaims",
    apiVersion: "resource.k8s.io/v1",
    kind: "ResourceClaim",
    optional: true,
    olderVersions: DRA_OLDER,
  },
  {
    path: "/apis/resource.k8s.io/v1/resourceclaimtemplates",
    apiVersion: "resource.k8s.io/v1",
    kind: "ResourceClaimTemplate",
    optional: true,
    olderVersions: DRA_OLDER,
  },
  { path: "/api/v1/pods", apiVersion: "v1", kind: "Pod" },
  { path: "/api/v1/replicationcontrollers", apiVersion: "v1", kind: "ReplicationController" },
  {
    path: "/apis/rbac.authorization.k8s.io/v1/rolebindings",
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
  },
  {
    path: "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
  },
  { path: "/apis/apps/v1/deployments", apiVersion: "apps/v1", kind: "Deployment" },
  { path: "/apis/apps/v1/statefulsets", apiVersion: "apps/v1", kind: "StatefulSet" },
  { path: "/apis/apps/v1/daemonsets", apiVersion: "apps/v1", kind: "DaemonSet" },
  { path: "/apis/apps/v1/replicasets", apiVersion: "apps/v1", kind: "ReplicaSet" },
  { path: "/apis/batch/v1/jobs", apiVersion: "batch/v1", kind: "Job" },
  { path: "/apis/batch/v1/cronjobs", apiVersion: "batch/v1", kind: "CronJob" },
  // Claimed hosts (TG-HOSTNAME-COLLISION and the other network rules); the Gateway API kinds only
  // where their CRDs are installed.
  { path: "/apis/networking.k8s.io/v1/ingresses", apiVersion: "networking.k8s.io/v1", kind: "Ingress" },
  { path: `/apis/${GATEWAY_V1}/gateways`, apiVersion: GATEWAY_V1, kind: "Gateway", optional: true },
  { path: `/apis/${GATEWAY_V1}/httproutes`, apiVersion: GATEWAY_V1, kind: "HTTPRoute", optional: true },
  { path: `/apis/${GATEWAY_V1}/grpcroutes`, apiVersion: GATEWAY_V1, kind: "GRPCRoute", optional: true },
  // v1 since Gateway API v1.6 (standard channel): 404 on older releases, not an incomplete scan.
  { path: `/apis/${GATEWAY_V1}/tlsroutes`, apiVersion: GATEWAY_V1, kind: "TLSRoute", optional: true },
  { path: `/apis/${GATEWAY_V1}/tcproutes`, apiVersion: GATEWAY_V1, kind: "TCPRoute", optional: true },
  { path: `/apis/${GATEWAY_V1}/udproutes`, apiVersion: GATEWAY_V1, kind: "UDPRoute", optional: true },
  { path: `/apis/${GATEWAY_V1}/listenersets`, apiVersion: GATEWAY_V1, kind: "ListenerSet", optional: true },
];

/** What the tenant directory is built from (the same kinds the file and cluster backends read). */
const DIRECTORY_KINDS = new Set([
  "Namespace",
  "Node",
  "Tenant",
  "ServiceAccount",
  "Secret",
  "ConfigMap",
  "PersistentVolumeClaim",
  "PersistentVolume",
  "Ingress",
  "Gateway",
  "HTTPRoute",
  "GRPCRoute",
  "TLSRoute",
  "ListenerSet",
]);
/** The collections a scan lists, for tests and docs. */
export const SCANNED_COLLECTIONS: readonly string[] = SOURCES.map((s) => s.path);
export const TOKEN_TYPE = "kubernetes.io/service-account-token";
/** Controllers whose pod template is audited itself: what they own would only repeat the finding. */
const AUDITED_CONTROLLERS = new Set([
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "Job",
  "CronJob",
  "ReplicationController",
]);

export interface ClusterSnapshot {
  readonly targets: AuditTarget[];
  readonly index: TenantIndex;
  /** "secrets: 403 forbidden": what could not be listed. */
  readonly incomplete: string[];
  /** Objects left out because their controller is audited (unless includeOwned). */
  readonly owned: number;
  /** Tenants whose pods exceed a spec.quota.hard value. */
  readonly overBudget: string[];
}

export function ownedByAudited(obj: JsonRecord): boolean {
  const refs = rec(obj.metadata)?.ownerReferences;
  if (!Array.isArray(refs)) return false;
  return refs.some((r) => rec(r)?.controller === true && AUDITED_CONTROLLERS.has(str(rec(r)?.kind) ?? ""));
}

export async function scanCluster(
  lister: KubeLister,
  opts: { tenantLabel: string; includeOwned: boolean; progress: (line: string) => void },
): Promise<ClusterSnapshot> {
  const all: JsonRecord[] = [];
  const incomplete: string[] = [];
  for (const src of SOURCES) {
    const name = src.path.slice(src.path.lastIndexOf("/") + 1);
    let pages = 0;
    const { res, apiVersion } = await listServed((p, o) => lister.list(p, o), src, {
      metadataOnly: src.metadataOnly,
      onPage: (n) => {
        if (++pages > 1) opts.progress(`listing ${name}: ${n} so far`);
      },
    });
    if (!res.ok) {
      // A Tenant CRD that is not installed just means "every tenant uses the defaults".
      if ((src.kind === "Tenant" || src.optional === true) && res.status === 404) continue;
      incomplete.push(`${name}: ${res.status} ${res.reason}`);
      opts.progress(`cannot list ${name} (${res.status}): ${res.reason}; continuing without them`);
      continue;
    }
    // Keep metadata only even if the server ignored the metadata-only Accept header: secret and
    // config map data must never reach the rules, the output or a heap dump.
    let items: JsonRecord[] = res.items.map((it) =>
      src.metadataOnly
        ? { apiVersion, kind: src.kind, metadata: it.metadata }
        : { ...it, apiVersion, kind: src.kind },
    );
    if (src.kind === "Secret") items = await markTokenSecrets(lister, items);
    opts.progress(`listed ${items.length} ${name}${apiVersion === src.apiVersion ? "" : ` (${apiVersion})`}`);
    all.push(...items);
  }
  const index = buildIndexFromObjects(
    all.filter((o) => DIRECTORY_KINDS.has(str(o.kind) ?? "")),
    opts.tenantLabel,
  );
  const targets = opts.includeOwned ? all : all.filter((o) => !ownedByAudited(o));
  return {
    targets: targets.map((object) => ({ object })),
    index,
    incomplete,
    owned: all.length - targets.length,
    overBudget: overBudget(
      all.filter((o) => o.kind === "Pod"),
      index,
    ),
  };
}

/** Metadata-only lists carry no `type`; a second, field-selected list tells which are SA tokens. */
async function markTokenSecrets(lister: KubeLister, items: JsonRecord[]): Promise<JsonRecord[]> {
  const res = await lister.list("/api/v1/secrets", {
    metadataOnly: true,
    fieldSelector: `type=${TOKEN_TYPE}`,
  });
  if (!res.ok) return items;
  const key = (o: JsonRecord): string => `${str(rec(o.metadata)?.namespace)}/${str(rec(o.metadata)?.name)}`;
  const tokens = new Set(res.items.map(key));
  return items.map((o) => (tokens.has(key(o)) ? { ...o, type: TOKEN_TYPE } : o));
}
