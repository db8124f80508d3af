// The narrow read-only view rules see (client-node's ObjectCache idea): map reads only, no client,
// no I/O. Every backend (cluster informers, file, memory) fills a TenantIndex that implements it.
import type { HostClaim } from "./host-claims.ts";
import type { TenantPolicy } from "./tenant-policy.ts";

/** Kinds whose metadata the directory caches (metadata only: secret data never enters the process). */
export const CACHED_KINDS = ["ServiceAccount", "Secret", "ConfigMap", "PersistentVolumeClaim"] as const;
export type CachedKind = (typeof CACHED_KINDS)[number];

export interface CachedObject {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface NamespaceInfo {
  readonly name: string;
  /** The owning tenant from the tenant label, or undefined when unowned. */
  readonly tenant: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
}

/** A node taint as the pool check reads it (spec.taints[]: key, value, effect). */
export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: string;
}

/** What the directory keeps of a Node: its labels and taints, nothing of its status. */
export interface NodeInfo {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodeTaint[];
}

/** A cluster-scoped PersistentVolume: what the TG-PVC-VOLUME rule reads of it. */
export interface PersistentVolumeInfo {
  readonly name: string;
  /** All its labels: a claim's spec.selector may name any of them. */
  readonly labels: Readonly<Record<string, string>>;
  /** The tenant its tenant label names, if any. */
  readonly tenant: string | undefined;
  /** spec.claimRef: the claim it is bound (or pre-bound) to. */
  readonly claimRef: { readonly namespace: string; readonly name: string } | undefined;
  readonly storageClassName: string | undefined;
  /** status.phase: Available, Bound, Released, Failed (Pending while provisioning). */
  readonly phase: string | undefined;
}

/** A Kueue ClusterQueue: what TG-KUEUE-LOCALQUEUE reads of it. */
export interface ClusterQueueInfo {
  readonly name: string;
  /** The tenant its tenant label names, if any. */
  readonly tenant: string | undefined;
  /** Tenants its tenant-guard.dev/shared-with annotation lists ("*": every tenant). */
  readonly sharedWith: ReadonlySet<string>;
}

/** Another tenant's object that already claims a host (or a wildcard overlapping it). */
export interface HostConflict {
  readonly claim: HostClaim;
  /** The tenant owning the claim's namespace now. */
  readonly tenant: string;
}

export interface TenantView {
  /** The label key that carries ownership (default tenant-guard.dev/tenant). */
  readonly tenantLabel: string;
  namespace(name: string): NamespaceInfo | undefined;
  tenantOfNamespace(name: string): string | undefined;
  /** The tenant's compiled policy: its Tenant object, or the defaults when it only owns namespaces. */
  tenant(name: string): TenantPolicy | undefined;
  tenantNames(): Iterable<string>;
  namespacesOf(tenant: string): ReadonlySet<string>;
  object(kind: CachedKind, namespace: string, name: string): CachedObject | undefined;
  /** The tenant an existing object counts for: its own tenant label, else its namespace's tenant. */
  ownerOfObject(kind: CachedKind, namespace: string, name: string): string | undefined;
  /** Tenants that list this user / group / service-account username among their owners. */
  tenantsOfUser(username: string): ReadonlySet<string>;
  tenantsOfGroup(group: string): ReadonlySet<string>;
  /** The tenant whose nodePool.nodeSelector has key=value, if any. */
  poolOwner(key: string, value: string): string | undefined;
  /** Tenants whose nodePool uses this label/taint key (nodeSelector or toleration key). */
  poolKeyOwners(key: string): ReadonlySet<string>;
  /** The Node of this name, if the directory knows it. */
  node(name: string): NodeInfo | undefined;
  /** The tenant whose nodePool.tolerations tolerate this taint (Equal key=value, or Exists on key). */
  poolTaintOwner(key: string, value: string): string | undefined;
  /** The tenant whose modelStorage lists exactly this prefix (as written in the Tenant). */
  modelStorageOwner(prefix: string): string | undefined;
  /** Tenants naming this priority class (podDefaults.priorityClassName or allowedPriorityClasses). */
  priorityClassOwners(name: string): ReadonlySet<string>;
  /** The PersistentVolume of that name, if cached. */
  persistentVolume(name: string): PersistentVolumeInfo | undefined;
  /** PersistentVolumes carrying the tenant label: what a claim's selector could reach across tenants. */
  tenantPersistentVolumes(): Iterable<PersistentVolumeInfo>;
  /** The Kueue ClusterQueue of that name, if the directory knows it. */
  clusterQueue(name: string): ClusterQueueInfo | undefined;
  /** False when the backend does not learn ClusterQueues (cluster: kueue.watchClusterQueues off). */
  clusterQueuesKnown(): boolean;
  /** What the tenant's non-terminal pods count, by ResourceQuota key, over all its namespaces. */
  quotaUsage(tenant: string): ReadonlyMap<string, number>;
  /** True while the count behind a count/<resource>.<group> key is not known yet (cluster: a budget
   * added moments ago, its kind still being resolved or listed). */
  countPending(key: string): boolean;
  /** The same for one namespace (to name the namespaces that use most). */
  namespaceQuotaUsage(namespace: string): ReadonlyMap<string, number>;
  /**
   * The oldest claim of `host` by an object in another tenant's namespace (not `self`): the same
   * host, a wildcard above it, or (for a wildcard host) a host beneath it. Namespaces no tenant
   * owns claim nothing. A few Map reads, bounded by the host's label count.
   */
  hostConflict(
    host: string,
    tenant: string,
    self: { readonly kind: string; readonly namespace: string; readonly name: string },
  ): HostConflict | undefined;
}

export const NO_TENANTS: ReadonlySet<string> = new Set();
