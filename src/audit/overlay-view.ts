// The directory as it would be once the audited manifests were applied: namespaces, Tenants, service
// accounts, secrets, config maps and PVCs from the input shadow those of the directory. A chart
// that creates a namespace and the pods in it is audited against its own namespace, as kubectl
// apply would create them.
import type { TenantIndex } from "../tenancy/tenant-index.ts";
import type { TenantPolicy } from "../tenancy/tenant-policy.ts";
import type {
  CachedKind,
  CachedObject,
  ClusterQueueInfo,
  HostConflict,
  NamespaceInfo,
  NodeInfo,
  PersistentVolumeInfo,
  TenantView,
} from "../tenancy/view.ts";

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  return new Set([...a, ...b]);
}

export class OverlayView implements TenantView {
  readonly tenantLabel: string;
  private readonly base: TenantView;
  private readonly top: TenantIndex;

  constructor(base: TenantView, top: TenantIndex) {
    this.base = base;
    this.top = top;
    this.tenantLabel = base.tenantLabel;
  }

  namespace(name: string): NamespaceInfo | undefined {
    return this.top.namespace(name) ?? this.base.namespace(name);
  }

  tenantOfNamespace(name: string): string | undefined {
    return this.namespace(name)?.tenant;
  }

  tenant(name: string): TenantPolicy | undefined {
    const top = this.top.tenant(name);
    if (top?.defined) return top;
    return this.base.tenant(name) ?? top;
  }

  *tenantNames(): Iterable<string> {
    const seen = new Set<string>();
    for (const view of [this.top, this.base])
      for (const n of view.tenantNames()) {
        if (seen.has(n)) continue;
        seen.add(n);
        yield n;
      }
  }

  namespacesOf(tenant: string): ReadonlySet<string> {
    const out = new Set<string>();
    for (const ns of union(this.base.namespacesOf(tenant), this.top.namespacesOf(tenant)))
      if (this.tenantOfNamespace(ns) === tenant) out.add(ns);
    return out;
  }

  object(kind: CachedKind, namespace: string, name: string): CachedObject | undefined {
    return this.top.object(kind, namespace, name) ?? this.base.object(kind, namespace, name);
  }

  ownerOfObject(kind: CachedKind, namespace: string, name: string): string | undefined {
    const labels = this.object(kind, namespace, name)?.labels;
    const claimed =
      labels !== undefined && Object.hasOwn(labels, this.tenantLabel) ? labels[this.tenantLabel] : "";
    return claimed ? claimed : this.tenantOfNamespace(namespace);
  }

  tenantsOfUser(username: string): ReadonlySet<string> {
    return union(this.base.tenantsOfUser(username), this.top.tenantsOfUser(username));
  }

  tenantsOfGroup(group: string): ReadonlySet<string> {
    return union(this.base.tenantsOfGroup(group), this.top.tenantsOfGroup(group));
  }

  poolOwner(key: string, value: string): string | undefined {
    return this.top.poolOwner(key, value) ?? this.base.poolOwner(key, value);
  }

  poolKeyOwners(key: string): ReadonlySet<string> {
    return union(this.base.poolKeyOwners(key), this.top.poolKeyOwners(key));
  }

  modelStorageOwner(prefix: string): string | undefined {
    return this.top.modelStorageOwner(prefix) ?? this.base.modelStorageOwner(prefix);
  }

  priorityClassOwners(name: string): ReadonlySet<string> {
    return union(this.base.priorityClassOwners(name), this.top.priorityClassOwners(name));
  }

  node(name: string): NodeInfo | undefined {
    return this.top.node(name) ?? this.base.node(name);
  }

  poolTaintOwner(key: string, value: string): string | undefined {
    return this.top.poolTaintOwner(key, value) ?? this.base.poolTaintOwner(key, value);
  }

  clusterQueue(name: string): ClusterQueueInfo | undefined {
    return this.top.clusterQueue(name) ?? this.base.clusterQueue(name);
  }

  clusterQueuesKnown(): boolean {
    return this.base.clusterQueuesKnown();
  }

  persistentVolume(name: string): PersistentVolumeInfo | undefined {
    return this.top.persistentVolume(name) ?? this.base.persistentVolume(name);
  }

  *tenantPersistentVolumes(): Iterable<PersistentVolumeInfo> {
    // The input's version of a volume shadows the directory's, as for every other kind.
    for (const pv of this.top.tenantPersistentVolumes()) yield pv;
    for (const pv of this.base.tenantPersistentVolumes())
      if (this.top.persistentVolume(pv.name) === undefined) yield pv;
  }

  // Usage is the directory's: the audited manifests are each judged against what already runs.
  quotaUsage(tenant: string): ReadonlyMap<string, number> {
    return this.base.quotaUsage(tenant);
  }

  namespaceQuotaUsage(namespace: string): ReadonlyMap<string, number> {
    return this.base.namespaceQuotaUsage(namespace);
  }

  countPending(key: string): boolean {
    return this.base.countPending(key);
  }

  // A host claimed in the input or in the directory; the object under audit never conflicts with itself.
  hostConflict(
    host: string,
    tenant: string,
    self: { readonly kind: string; readonly namespace: string; readonly name: string },
  ): HostConflict | undefined {
    return this.top.hostConflict(host, tenant, self) ?? this.base.hostConflict(host, tenant, self);
  }
}
