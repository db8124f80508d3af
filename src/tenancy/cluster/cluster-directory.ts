// The cluster backend: ten informers (namespaces, Tenants, nodes slimmed to labels and taints,
// PersistentVolumes slimmed to labels, claimRef, class and phase, pods slimmed to their quota
// charge, Ingresses slimmed to their hosts, and metadata-only service accounts, secrets, config
// maps, PVCs; three more for the Gateway API kinds with gatewayAPI, and TLSRoutes and ListenerSets
// too where the cluster serves them) feeding one TenantIndex incrementally. start() returns as
// soon as the informers are started, so the server comes up unready; status() turns ready when
// every informer has listed once, and stays ready (serving the last state) while one restarts.
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { READY, type Directory, type DirectoryStatus, type Readiness } from "../directory.ts";
import { TenantIndex } from "../tenant-index.ts";
import { TENANT_API_VERSION } from "../tenant-schema.ts";
import type { CachedKind, TenantView } from "../view.ts";
import { AfterSyncGc } from "./after-sync-gc.ts";
import { TenantStatusWriter } from "./tenant-status.ts";
import type { BackoffOptions } from "./backoff.ts";
import {
  namespaceHandlers,
  nodeHandlers,
  objectHandlers,
  tenantHandlers,
  type BrokenTenants,
  type Handlers,
} from "./handlers.ts";
import { ManagedInformer } from "./informer.ts";
import { listAll, pageFetcher } from "./lists.ts";
import { persistentVolumeHandlers, slimPersistentVolume } from "./persistent-volumes.ts";
import { podHandlers, slimPod } from "./pods.ts";
import { CountedInformers } from "./counted.ts";
import { clusterQueueHandlers, slimClusterQueue } from "./cluster-queues.ts";
import { KUEUE_GROUP } from "../../k8s/kueue.ts";
import {
  GATEWAY_API_SOURCES,
  GATEWAY_API_V1,
  INGRESS_SOURCE,
  OPTIONAL_GATEWAY_API_SOURCES,
  hostClaimStore,
  slimHostClaim,
} from "./host-claims.ts";
import { OptionalSources } from "./optional-sources.ts";
import type { ObjectStore } from "./compact-list-watch.ts";
import { ApiLedger } from "../../quota/api-ledger.ts";
import {
  CompactValues,
  Interner,
  isSlimCached,
  slimMetadataObject,
  slimNamespace,
  slimIdentity,
  slimNode,
  slimTenant,
  type SlimObject,
  type Slimmer,
} from "./slim.ts";
import type { InformerStats, InformerStatsSource } from "./stats.ts";

export interface ClusterDirectoryOptions {
  readonly kubeconfig: KubeConfig;
  readonly tenantLabel: string;
  readonly log: Logger;
  readonly backoff?: BackoffOptions;
  readonly pageTimeoutMs?: number;
  /** Keep each Tenant's status.namespaces current (needs patch on tenants/status). */
  readonly writeTenantStatus?: boolean;
  readonly statusIntervalMs?: number;
  /** spec.quota's ledger in Tenant status: timeouts and how often charges are reconciled. */
  readonly ledger?: { timeoutMs?: number; ttlMs?: number; seenGraceMs?: number; reconcileMs?: number };
  /** Kueue ClusterQueues (metadata only) at this kueue.x-k8s.io version; absent: not watched. */
  readonly clusterQueues?: { readonly version: string };
  /** Also watch HTTPRoutes, GRPCRoutes and Gateways for claimed hosts (needs the Gateway API CRDs),
   * and TLSRoutes and ListenerSets where served at gateway.networking.k8s.io/v1. */
  readonly gatewayAPI?: boolean;
  /** How long before kinds discovery found unserved (CRDs not installed) are asked again (60 s). */
  readonly discoveryRetryMs?: number;
}

const NO_NOTES: readonly string[] = Object.freeze([]);

const NO_HANDLERS: Handlers = { onAdd: () => {}, onUpdate: () => {}, onDelete: () => {} };

const METADATA_KINDS: readonly (readonly [string, CachedKind])[] = [
  ["serviceaccounts", "ServiceAccount"],
  ["secrets", "Secret"],
  ["configmaps", "ConfigMap"],
  ["persistentvolumeclaims", "PersistentVolumeClaim"],
];

export class ClusterDirectory implements Directory, InformerStatsSource {
  readonly kind = "cluster" as const;
  private readonly index: TenantIndex;
  private readonly informers: ManagedInformer[] = [];
  private readonly broken: BrokenTenants = new Map();
  private readonly log: Logger;
  private readonly gc: AfterSyncGc;
  private readonly statusWriter: TenantStatusWriter | undefined;
  private started = false;
  readonly ledger: ApiLedger;
  private readonly reconcileMs: number;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Informers for count/<resource>.<group> budgets, started as Tenants name them. */
  private readonly counted: CountedInformers;
  /** TLSRoute and ListenerSet informers with gatewayAPI, started once discovery finds them served. */
  private readonly optional: OptionalSources | undefined;
  private readonly countedInformers = new Set<ManagedInformer>();
  /** Ready once: from then on a budget added later holds back only the creates it counts. */
  private everReady = false;

  constructor(opts: ClusterDirectoryOptions) {
    const { kubeconfig: kc, log } = opts;
    this.log = log;
    const gc = (this.gc = new AfterSyncGc(log));
    this.index = new TenantIndex(opts.tenantLabel);
    const pageTimeoutMs = opts.pageTimeoutMs ?? 60_000;
    const add = (
      resource: string,
      path: string,
      slim: Slimmer,
      handlers: Handlers,
      metadataOnly: boolean,
      compact?: (o: SlimObject) => SlimObject,
      store?: ObjectStore,
    ): ManagedInformer => {
      let warned = false;
      const onFirstPage = (kind: string | undefined): void => {
        if (!metadataOnly || kind === "PartialObjectMetadataList" || warned) return;
        warned = true;
        log.warn(
          { resource, kind },
          "API server ignored the metadata-only Accept header; full objects are dropped to metadata before caching",
        );
      };
      const fetchPage = pageFetcher(kc, path, { metadataOnly, pageTimeoutMs });
      const list = (onItems: (items: readonly SlimObject[]) => void) =>
        listAll(fetchPage, { slim, onFirstPage }, onItems);
      const informer = new ManagedInformer(
        kc,
        { resource, path, metadataOnly, slim, list, compact, store, ...handlers },
        { log, backoff: opts.backoff, onListed: (n) => gc.listed(n) },
      );
      this.informers.push(informer);
      return informer;
    };
    const [group, version] = TENANT_API_VERSION.split("/") as [string, string];
    add("namespaces", "/api/v1/namespaces", slimNamespace, namespaceHandlers(this.index), false);
    const tenantsPath = `/apis/${group}/${version}/tenants`;
    const th = tenantHandlers(this.index, this.broken, log);
    // A Tenant event may budget a resource nothing counts yet: counted.sync() starts its informer.
    const afterTenant =
      (f: (o: SlimObject) => void) =>
      (o: SlimObject): void => {
        f(o);
        this.counted.sync();
      };
    const tenants = add(
      "tenants",
      tenantsPath,
      slimTenant,
      {
        onAdd: afterTenant(th.onAdd),
        onUpdate: afterTenant(th.onUpdate),
        onDelete: afterTenant(th.onDelete),
      },
      false,
    );
    this.statusWriter =
      opts.writeTenantStatus === true
        ? new TenantStatusWriter({
            kubeconfig: kc,
            index: this.index,
            observed: (name) => tenants.get(name, "")?.statusNamespaces,
            ready: () => this.readiness().ready,
            log,
            basePath: tenantsPath,
            intervalMs: opts.statusIntervalMs,
            // Hundreds of writes after a sync (and their MODIFIED events) leave garbage behind.
            onWritten: (n) => {
              if (n >= 100) gc.schedule("after Tenant status writes");
            },
          })
        : undefined;
    // Full Node objects (taints are in spec), slimmed to labels and taints as each one arrives.
    add("nodes", "/api/v1/nodes", slimNode, nodeHandlers(this.index), false);
    const interner = new Interner();
    // The metadata informers by resource, and the count handlers of those a Tenant budgets.
    const metadataInformers = new Map<string, ManagedInformer>();
    const sharedCounts = new Map<string, Handlers>();
    this.index.useCountPending((key) => this.counted.pending(key));
    this.counted = new CountedInformers({
      kubeconfig: kc,
      index: this.index,
      log,
      retryMs: opts.discoveryRetryMs,
      start: (c, path, handlers) => {
        // A core kind the directory already watches (secrets, config maps...) is counted by that
        // informer: one cache, not two. What it listed before is counted now.
        const shared = c.group === "" ? metadataInformers.get(c.resource) : undefined;
        if (shared !== undefined) {
          sharedCounts.set(c.resource, handlers);
          shared.forEachKey((namespace, name) => handlers.onAdd({ metadata: { name, namespace } }));
          return undefined;
        }
        const inf = add(c.key.slice("count/".length), path, slimIdentity(interner), handlers, true);
        this.countedInformers.add(inf);
        if (this.started && !this.closed) inf.start();
        return inf;
      },
    });
    const values = new CompactValues();
    for (const [resource, kind] of METADATA_KINDS) {
      const slim = slimMetadataObject(interner, opts.tenantLabel);
      const base = objectHandlers(this.index, kind);
      const informer = add(
        resource,
        `/api/v1/${resource}`,
        slim,
        {
          onAdd: (o) => {
            base.onAdd(o);
            sharedCounts.get(resource)?.onAdd(o);
          },
          onUpdate: base.onUpdate,
          onDelete: (o) => {
            base.onDelete(o);
            sharedCounts.get(resource)?.onDelete(o);
          },
        },
        true,
        (o) => values.compact(o),
      );
      metadataInformers.set(resource, informer);
      this.index.useObjectSource(kind, {
        get: (name, namespace) => {
          const o = informer.get(name, namespace);
          return o !== undefined && isSlimCached(o) ? o : undefined;
        },
      });
    }
    // Cluster-scoped PersistentVolumes, full objects slimmed on arrival (claimRef is in spec).
    add(
      "persistentvolumes",
      "/api/v1/persistentvolumes",
      slimPersistentVolume(opts.tenantLabel),
      persistentVolumeHandlers(this.index),
      false,
    );
    // Kueue ClusterQueues, metadata only (config kueue.watchClusterQueues; off: the rule says so).
    if (opts.clusterQueues === undefined) this.index.setClusterQueuesKnown(false);
    else
      add(
        "clusterqueues",
        `/apis/${KUEUE_GROUP}/${opts.clusterQueues.version}/clusterqueues`,
        slimClusterQueue(opts.tenantLabel),
        clusterQueueHandlers(this.index),
        true,
      );
    // Pods, full objects slimmed on arrival to their quota charge (spec.quota usage).
    add("pods", "/api/v1/pods", slimPod(interner), podHandlers(this.index), false);
    // Hosts claimed by Ingresses (and the Gateway API kinds when enabled), slimmed to the hosts;
    // the index is these informers' cache (no second copy of each claim), so events need no handler.
    const claimSources =
      opts.gatewayAPI === true ? [INGRESS_SOURCE, ...GATEWAY_API_SOURCES] : [INGRESS_SOURCE];
    const addClaims = (resource: string, path: string, kind: string): ManagedInformer =>
      add(
        resource,
        path,
        slimHostClaim(kind, interner),
        NO_HANDLERS,
        false,
        undefined,
        hostClaimStore(this.index, kind),
      );
    for (const [resource, path, kind] of claimSources) addClaims(resource, path, kind);
    // TLSRoutes and ListenerSets only where the cluster serves them: discovery first (start()).
    this.optional =
      opts.gatewayAPI === true
        ? new OptionalSources({
            kubeconfig: kc,
            log,
            groupVersion: GATEWAY_API_V1,
            sources: OPTIONAL_GATEWAY_API_SOURCES,
            backoff: opts.backoff,
            retryMs: opts.discoveryRetryMs,
            start: ([resource, path, kind]) => {
              const inf = addClaims(resource, path, kind);
              if (this.started && !this.closed) inf.start();
            },
          })
        : undefined;
    this.ledger = new ApiLedger({
      kubeconfig: kc,
      basePath: tenantsPath,
      seen: (pod) => this.index.hasPod(pod),
      ...opts.ledger,
    });
    this.reconcileMs = opts.ledger?.reconcileMs ?? 15_000;
  }

  /** Reclaims pending charges of budgeted tenants (pods that never appeared, or counted by now) and shows their usage. */
  private async reconcileQuota(): Promise<void> {
    if (!this.readiness().ready) return;
    for (const name of this.index.tenantNames()) {
      const hard = this.index.tenant(name)?.quotaHard;
      if (hard === undefined || hard.size === 0) continue;
      try {
        const r = await this.ledger.reconcile(name, {
          hard,
          informerUsage: () => this.index.quotaUsage(name),
        });
        if (r === "reclaimed") this.log.info({ tenant: name }, "quota ledger: pending charges reclaimed");
      } catch (e) {
        this.log.warn({ tenant: name, error: String(e) }, "quota ledger reconciliation failed; will retry");
      }
    }
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const inf of this.informers) inf.start();
    this.optional?.start();
    this.statusWriter?.start();
    const tick = (): void => {
      if (this.closed) return;
      this.reconcileTimer = setTimeout(() => void this.reconcileQuota().finally(tick), this.reconcileMs);
      this.reconcileTimer.unref();
    };
    tick();
    this.log.info(
      { resources: this.informers.map((i) => i.resource) },
      "cluster directory informers started",
    );
  }

  view(): TenantView {
    return this.index;
  }

  readiness(): Readiness {
    // A budget added once the directory is ready is pending on its own (quota rule), not here: a
    // Tenant edit must not refuse every tenant's writes while its kind is resolved and listed.
    const resolving = (this.everReady ? undefined : this.counted.waiting()) ?? this.optional?.waiting();
    const uncounted = this.counted.notes();
    const unwatched = this.optional?.notes() ?? NO_NOTES;
    // Every admission request asks: the healthy case allocates nothing.
    if (
      this.broken.size === 0 &&
      resolving === undefined &&
      uncounted.length === 0 &&
      unwatched.length === 0 &&
      this.informers.every((i) => i.healthy)
    ) {
      this.everReady = true; // readiness is what decides it, so it is recorded where it is known
      return READY;
    }
    if (resolving !== undefined) return { ready: false, reason: resolving };
    const stats = this.informers.map((i) => i.stats());
    // A counted informer started once ready is waited for by the creates it counts, not here.
    const unsynced = stats.filter(
      (s, n) => !s.synced && !(this.everReady && this.countedInformers.has(this.informers[n]!)),
    );
    if (unsynced.length > 0) {
      const errors = unsynced
        .filter((s) => s.lastError !== undefined)
        .map((s) => `${s.resource}: ${s.lastError}`);
      const waiting = `waiting for the initial sync of ${unsynced.map((s) => s.resource).join(", ")}`;
      return { ready: false, reason: errors.length > 0 ? `${waiting} (${errors.join("; ")})` : waiting };
    }
    const notes: string[] = [];
    for (const s of stats) {
      if (s.watching || s.lastError === undefined) continue;
      notes.push(
        s.synced
          ? `${s.resource} informer restarting after: ${s.lastError}; serving last known state`
          : `${s.resource} informer not listed yet after: ${s.lastError}; the creates its budget counts wait for it`,
      );
    }
    for (const reason of this.broken.values()) notes.push(`${reason} (rejected; last good version kept)`);
    notes.push(...uncounted);
    // Optional Gateway API kinds an older release does not serve are expected there, not a problem.
    const note = unwatched.length > 0 ? { note: unwatched.join("; ") } : {};
    this.everReady = true;
    return notes.length > 0 ? { ready: true, reason: notes.join("; "), ...note } : { ready: true, ...note };
  }

  status(): DirectoryStatus {
    return { ...this.readiness(), counts: this.index.counts() };
  }

  informerStats(): readonly InformerStats[] {
    return this.informers.map((i) => i.stats());
  }

  async close(): Promise<void> {
    this.gc.close();
    this.closed = true;
    this.counted.close();
    this.optional?.close();
    clearTimeout(this.reconcileTimer);
    this.statusWriter?.close();
    await Promise.all(this.informers.map((i) => i.close()));
  }
}
