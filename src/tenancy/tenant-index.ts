// TenantIndex: the in-memory maps behind TenantView, updated incrementally (informer events) or
// filled at once (file, memory). Derived indexes (owners, node pools) are rebuilt only when a Tenant
// or a namespace's ownership changes, so lookups on the hot path are single Map reads.
import type { PodCharge } from "../quota/charge.ts";
import { UsageLedger, type Usage } from "../quota/ledger.ts";
import { countedEntryName, objectCharge } from "../quota/object-count.ts";
import { HostClaims, type HostClaim } from "./host-claims.ts";
import { compileTenant, type TenantPolicy } from "./tenant-policy.ts";
import type { TenantSpec } from "./tenant-schema.ts";
import {
  NO_TENANTS,
  type CachedKind,
  type CachedObject,
  type ClusterQueueInfo,
  type HostConflict,
  type NamespaceInfo,
  type NodeInfo,
  type PersistentVolumeInfo,
  type TenantView,
} from "./view.ts";

const EMPTY_NS: ReadonlySet<string> = new Set();

/** Where a backend already keeps a kind's objects (an informer's cache), the index reads them
 * there instead of holding a second map of 100,000s of entries. */
export interface ObjectSource {
  get(name: string, namespace: string): CachedObject | undefined;
}

export class TenantIndex implements TenantView {
  readonly tenantLabel: string;
  private readonly namespaces = new Map<string, NamespaceInfo>();
  private readonly byTenant = new Map<string, Set<string>>();
  private readonly tenants = new Map<string, TenantPolicy>();
  private readonly defaults = new Map<string, TenantPolicy>();
  private readonly objects = new Map<CachedKind, Map<string, Map<string, CachedObject>>>();
  private readonly sources = new Map<CachedKind, ObjectSource>();
  /** Objects per kind, kept as they change: status() reads counts() on every admission request. */
  private readonly sizes = new Map<CachedKind, number>();
  private users = new Map<string, Set<string>>();
  private groups = new Map<string, Set<string>>();
  private pools = new Map<string, string>();
  private poolKeys = new Map<string, Set<string>>();
  private storage = new Map<string, string>();
  private priorityClasses = new Map<string, Set<string>>();
  /** Nodes by name (labels and taints); the Node count shows once a Node was ever seen. */
  private readonly nodes = new Map<string, NodeInfo>();
  private nodesSeen = false;
  /** "key=value" of a pool toleration (operator Equal) -> its tenant; key of an Exists one -> tenant. */
  private poolTaints = new Map<string, string>();
  private poolTaintKeys = new Map<string, string>();
  /** PersistentVolumes by name, and those carrying the tenant label (selectors are matched on them). */
  private readonly volumes = new Map<string, PersistentVolumeInfo>();
  private readonly labelledVolumes = new Map<string, PersistentVolumeInfo>();
  /** Kueue ClusterQueues by name; whether the backend learns them at all. */
  private readonly clusterQueues = new Map<string, ClusterQueueInfo>();
  private clusterQueuesWatched = true;
  /** Pods' quota charges, summed per namespace and per tenant (spec.quota). */
  private readonly usage = new UsageLedger((ns) => this.namespaces.get(ns)?.tenant);
  /** Hosts claimed by Ingresses, routes and Gateway listeners (TG-HOSTNAME-COLLISION). */
  private readonly hosts = new HostClaims();
  /** Derived indexes are rebuilt on the next read, not per Tenant event: O(T) once, not O(T²) at load. */
  private stale = false;

  constructor(tenantLabel: string) {
    this.tenantLabel = tenantLabel;
  }

  // ---- writes -----------------------------------------------------------------------------------

  upsertNamespace(name: string, labels: Readonly<Record<string, string>>): void {
    const raw = Object.hasOwn(labels, this.tenantLabel) ? labels[this.tenantLabel] : undefined;
    const tenant = raw === undefined || raw === "" ? undefined : raw;
    const prev = this.namespaces.get(name);
    if (prev !== undefined && prev.tenant !== tenant) this.byTenant.get(prev.tenant ?? "")?.delete(name);
    this.namespaces.set(name, Object.freeze({ name, tenant, labels }));
    this.usage.namespaceMoved(name, prev?.tenant, tenant);
    if (tenant !== undefined) {
      let set = this.byTenant.get(tenant);
      if (set === undefined) this.byTenant.set(tenant, (set = new Set()));
      set.add(name);
    }
  }

  deleteNamespace(name: string): void {
    const prev = this.namespaces.get(name);
    if (prev === undefined) return;
    this.namespaces.delete(name);
    if (prev.tenant !== undefined) this.byTenant.get(prev.tenant)?.delete(name);
    this.usage.namespaceMoved(name, prev.tenant, undefined);
    for (const [kind, perKind] of this.objects) {
      this.grow(kind, -(perKind.get(name)?.size ?? 0));
      perKind.delete(name);
    }
  }

  upsertTenant(name: string, spec: TenantSpec | undefined): void {
    this.tenants.set(name, compileTenant(name, spec, true));
    this.stale = true;
  }

  deleteTenant(name: string): void {
    if (this.tenants.delete(name)) this.stale = true;
  }

  upsertObject(kind: CachedKind, namespace: string, name: string, obj: CachedObject): void {
    let perKind = this.objects.get(kind);
    if (perKind === undefined) this.objects.set(kind, (perKind = new Map()));
    let perNs = perKind.get(namespace);
    if (perNs === undefined) perKind.set(namespace, (perNs = new Map()));
    if (!perNs.has(name)) this.grow(kind, 1);
    perNs.set(name, obj);
  }

  deleteObject(kind: CachedKind, namespace: string, name: string): void {
    if (this.objects.get(kind)?.get(namespace)?.delete(name)) this.grow(kind, -1);
  }

  /** A pod's quota charge; undefined when it counts nothing (terminal). */
  setPodCharge(namespace: string, name: string, charge: PodCharge | undefined): void {
    this.usage.setPod(namespace, name, charge);
  }

  deletePod(namespace: string, name: string): void {
    this.usage.deletePod(namespace, name);
  }

  /** An object of a budgeted count/<resource>.<group> key appeared (counted until it is deleted). */
  setCountedObject(group: string, resource: string, namespace: string, name: string): void {
    this.usage.setPod(namespace, countedEntryName(group, resource, name), objectCharge(group, resource));
  }

  deleteCountedObject(group: string, resource: string, namespace: string, name: string): void {
    this.usage.deletePod(namespace, countedEntryName(group, resource, name));
  }

  /** Whether the pod "namespace/name" is counted (the quota ledger's "seen"). */
  hasPod(key: string): boolean {
    const slash = key.indexOf("/");
    return slash > 0 && this.usage.has(key.slice(0, slash), key.slice(slash + 1));
  }

  upsertNode(node: NodeInfo): void {
    this.nodes.set(node.name, node);
    this.nodesSeen = true;
  }

  deleteNode(name: string): void {
    this.nodes.delete(name);
  }

  /** Serves `kind` from `source`; its owner reports additions and removals with countObject(). */
  private pendingCount: (key: string) => boolean = () => false;

  useObjectSource(kind: CachedKind, source: ObjectSource): void {
    this.sources.set(kind, source);
  }

  countObject(kind: CachedKind, by: 1 | -1): void {
    this.grow(kind, by);
  }

  private grow(kind: CachedKind, by: number): void {
    this.sizes.set(kind, (this.sizes.get(kind) ?? 0) + by);
  }

  upsertPersistentVolume(pv: PersistentVolumeInfo): void {
    this.volumes.set(pv.name, pv);
    if (pv.tenant !== undefined) this.labelledVolumes.set(pv.name, pv);
    else this.labelledVolumes.delete(pv.name);
  }

  deletePersistentVolume(name: string): void {
    this.volumes.delete(name);
    this.labelledVolumes.delete(name);
  }

  upsertClusterQueue(cq: ClusterQueueInfo): void {
    this.clusterQueues.set(cq.name, cq);
  }

  deleteClusterQueue(name: string): void {
    this.clusterQueues.delete(name);
  }

  /** The backend does not learn ClusterQueues: TG-KUEUE-LOCALQUEUE says so instead of guessing. */
  setClusterQueuesKnown(known: boolean): void {
    this.clusterQueuesWatched = known;
  }

  /** What kind/namespace/name claims now (undefined: nothing, or the object is gone). */
  setHostClaim(kind: string, namespace: string, name: string, claim: HostClaim | undefined): void {
    this.hosts.set(kind, namespace, name, claim);
  }

  hostClaim(kind: string, namespace: string, name: string): HostClaim | undefined {
    return this.hosts.get(kind, namespace, name);
  }

  forEachHostClaim(kind: string, fn: (claim: HostClaim) => void): void {
    this.hosts.forEachOf(kind, fn);
  }

  /** Number of cached objects per kind, for metrics and benchmarks. */
  counts(): Record<string, number> {
    const out: Record<string, number> = { Namespace: this.namespaces.size, Tenant: this.tenants.size };
    for (const [kind, n] of this.sizes) out[kind] = n;
    if (this.nodesSeen) out.Node = this.nodes.size;
    if (this.volumes.size > 0) out.PersistentVolume = this.volumes.size;
    if (this.clusterQueues.size > 0) out.ClusterQueue = this.clusterQueues.size;
    if (this.usage.size() > 0) out.Pod = this.usage.size();
    if (this.usage.objectCount() > 0) out.CountedObject = this.usage.objectCount();
    if (this.hosts.size > 0) out.HostClaim = this.hosts.size;
    return out;
  }

  private fresh(): this {
    if (this.stale) {
      this.stale = false;
      this.rebuildTenantIndexes();
    }
    return this;
  }

  private rebuildTenantIndexes(): void {
    const users = new Map<string, Set<string>>();
    const groups = new Map<string, Set<string>>();
    const pools = new Map<string, string>();
    const poolKeys = new Map<string, Set<string>>();
    const storage = new Map<string, string>();
    const poolTaints = new Map<string, string>();
    const poolTaintKeys = new Map<string, string>();
    const addTo = (m: Map<string, Set<string>>, key: string, tenant: string): void => {
      let s = m.get(key);
      if (s === undefined) m.set(key, (s = new Set()));
      s.add(tenant);
    };
    for (const t of this.tenants.values()) {
      for (const o of t.spec.owners ?? []) addTo(o.kind === "Group" ? groups : users, o.name, t.name);
      for (const [k, v] of Object.entries(t.nodeSelector)) pools.set(`${k}=${v}`, t.name);
      for (const k of Object.keys(t.nodeSelector)) addTo(poolKeys, k, t.name);
      for (const tol of t.tolerations) if (tol.key) addTo(poolKeys, tol.key, t.name);
      for (const tol of t.tolerations) {
        if (!tol.key) continue; // a keyless Exists tolerates everything: it marks no node as the pool's
        if (tol.operator === "Exists") poolTaintKeys.set(tol.key, t.name);
        else poolTaints.set(`${tol.key}=${tol.value ?? ""}`, t.name);
      }
      for (const prefix of t.modelStorage) {
        // Two tenants listing one prefix (check-config and audit report it): the owner must not
        // depend on the order Tenants were read in, so the name that sorts first keeps it.
        const held = storage.get(prefix);
        if (held === undefined || t.name < held) storage.set(prefix, t.name);
      }
    }
    this.users = users;
    this.groups = groups;
    this.pools = pools;
    this.poolKeys = poolKeys;
    this.storage = storage;
    this.priorityClasses = priorityClassIndex(this.tenants.values());
    this.poolTaints = poolTaints;
    this.poolTaintKeys = poolTaintKeys;
  }

  // ---- reads (TenantView) -----------------------------------------------------------------------

  namespace(name: string): NamespaceInfo | undefined {
    return this.namespaces.get(name);
  }

  tenantOfNamespace(name: string): string | undefined {
    return this.namespaces.get(name)?.tenant;
  }

  tenant(name: string): TenantPolicy | undefined {
    const t = this.tenants.get(name);
    if (t !== undefined) return t;
    if (!this.byTenant.get(name)?.size) return undefined;
    let d = this.defaults.get(name);
    if (d === undefined) this.defaults.set(name, (d = compileTenant(name, undefined, false)));
    return d;
  }

  *tenantNames(): Iterable<string> {
    yield* this.tenants.keys();
    for (const [name, nss] of this.byTenant) if (nss.size > 0 && !this.tenants.has(name)) yield name;
  }

  namespacesOf(tenant: string): ReadonlySet<string> {
    return this.byTenant.get(tenant) ?? EMPTY_NS;
  }

  object(kind: CachedKind, namespace: string, name: string): CachedObject | undefined {
    const source = this.sources.get(kind);
    if (source !== undefined) return source.get(name, namespace);
    return this.objects.get(kind)?.get(namespace)?.get(name);
  }

  ownerOfObject(kind: CachedKind, namespace: string, name: string): string | undefined {
    const obj = this.object(kind, namespace, name);
    if (obj !== undefined && Object.hasOwn(obj.labels, this.tenantLabel)) {
      const claimed = obj.labels[this.tenantLabel];
      if (claimed) return claimed;
    }
    return this.tenantOfNamespace(namespace);
  }

  tenantsOfUser(username: string): ReadonlySet<string> {
    return this.fresh().users.get(username) ?? NO_TENANTS;
  }

  tenantsOfGroup(group: string): ReadonlySet<string> {
    return this.fresh().groups.get(group) ?? NO_TENANTS;
  }

  poolOwner(key: string, value: string): string | undefined {
    return this.fresh().pools.get(`${key}=${value}`);
  }

  poolKeyOwners(key: string): ReadonlySet<string> {
    return this.fresh().poolKeys.get(key) ?? NO_TENANTS;
  }

  modelStorageOwner(prefix: string): string | undefined {
    return this.fresh().storage.get(prefix);
  }

  priorityClassOwners(name: string): ReadonlySet<string> {
    return this.fresh().priorityClasses.get(name) ?? NO_TENANTS;
  }

  node(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  poolTaintOwner(key: string, value: string): string | undefined {
    const fresh = this.fresh();
    return fresh.poolTaints.get(`${key}=${value}`) ?? fresh.poolTaintKeys.get(key);
  }

  persistentVolume(name: string): PersistentVolumeInfo | undefined {
    return this.volumes.get(name);
  }

  tenantPersistentVolumes(): Iterable<PersistentVolumeInfo> {
    return this.labelledVolumes.values();
  }

  clusterQueue(name: string): ClusterQueueInfo | undefined {
    return this.clusterQueues.get(name);
  }

  clusterQueuesKnown(): boolean {
    return this.clusterQueuesWatched;
  }

  hostConflict(
    host: string,
    tenant: string,
    self: { readonly kind: string; readonly namespace: string; readonly name: string },
  ): HostConflict | undefined {
    const claim = this.hosts.overlapping(host, (c) => {
      if (c.namespace === self.namespace && c.name === self.name && c.kind === self.kind) return false;
      const owner = this.namespaces.get(c.namespace)?.tenant;
      // Unowned namespaces (a platform's shared Gateway) claim nothing; sharing is consent.
      return owner !== undefined && owner !== tenant && this.tenant(owner)?.sharedWith.has(tenant) !== true;
    });
    const owner = claim === undefined ? undefined : this.namespaces.get(claim.namespace)?.tenant;
    return claim === undefined || owner === undefined ? undefined : { claim, tenant: owner };
  }

  quotaUsage(tenant: string): Usage {
    return this.usage.tenantUsage(tenant);
  }

  /** The cluster backend says which object counts are still being listed; a file world has none. */
  useCountPending(pending: (key: string) => boolean): void {
    this.pendingCount = pending;
  }

  countPending(key: string): boolean {
    return this.pendingCount(key);
  }

  namespaceQuotaUsage(namespace: string): Usage {
    return this.usage.namespaceUsage(namespace);
  }
}

/**
 * priority class -> the tenants that name it (their default, or in allowedPriorityClasses). system-*
 * classes are the control plane's and no tenant's, even when a Tenant lists one.
 */
function priorityClassIndex(tenants: Iterable<TenantPolicy>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (cls: string, tenant: string): void => {
    if (cls.startsWith("system-")) return;
    let s = out.get(cls);
    if (s === undefined) out.set(cls, (s = new Set()));
    s.add(tenant);
  };
  for (const t of tenants) {
    if (t.priorityClassName) add(t.priorityClassName, t.name);
    for (const cls of t.allowedPriorityClasses) add(cls, t.name);
  }
  return out;
}
