// Informers for the objects Tenants budget with count/<resource>.<group> (spec.quota.hard), started
// only for resources some Tenant budgets, metadata-only (a count needs names, nothing else). The
// resource's collection path is found by discovery: /api/v1 for the core group, the group's
// preferred version for any other. A budgeted resource the cluster does not serve is a logged
// warning and a readiness note, never a crash; its creates are judged on a count of 0 until it is
// served (nothing of it can exist). A budget is never judged on a count not yet listed: until its
// kind is resolved and listed, the key is pending (the directory's readiness waits for the budgets
// it starts with; a budget added later holds back only the creates it counts, see pending()).
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { countedResources, type CountedResource } from "../../quota/object-count.ts";
import type { TenantIndex } from "../tenant-index.ts";
import { mayList, preferredPath } from "./discovery.ts";
import type { Handlers } from "./handlers.ts";
import type { ManagedInformer } from "./informer.ts";

/** Starts one metadata-only informer for a resolved collection path (ClusterDirectory's add); none
 * when an informer the directory runs already counts the kind. */
export type StartCounting = (
  c: CountedResource,
  path: string,
  handlers: Handlers,
) => ManagedInformer | undefined;

export interface CountedOptions {
  readonly kubeconfig: KubeConfig;
  readonly index: TenantIndex;
  readonly log: Logger;
  readonly start: StartCounting;
  readonly timeoutMs?: number;
  /** How long before a resource that was not served (or failed to resolve) is asked again. */
  readonly retryMs?: number;
}

const NO_NOTES: readonly string[] = Object.freeze([]);

export class CountedInformers {
  private readonly o: CountedOptions;
  /** Keys with an informer, being resolved, or found unserved (with the note why). */
  private readonly counting = new Set<string>();
  private readonly resolving = new Set<string>();
  private readonly unserved = new Map<string, string>();
  /** Unserved keys asked again: they keep their note meanwhile and never hold readiness down. */
  private readonly rechecking = new Set<string>();
  /** The informer of each counted key (none for kinds an informer of the directory already counts). */
  private readonly informers = new Map<string, ManagedInformer>();
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(opts: CountedOptions) {
    this.o = opts;
  }

  /** After a Tenant event: starts counting what any Tenant budgets now and is not counted yet. */
  sync(): void {
    if (this.closed) return;
    for (const c of this.budgeted()) {
      if (this.counting.has(c.key) || this.resolving.has(c.key) || this.unserved.has(c.key)) continue;
      void this.resolve(c, this.resolving);
    }
  }

  /** `pending` holds the key while it is asked: `resolving` (readiness waits) or `rechecking`. */
  private async resolve(c: CountedResource, pending: Set<string>): Promise<void> {
    pending.add(c.key);
    let why: string;
    try {
      const timeoutMs = this.o.timeoutMs ?? 10_000;
      const path = await preferredPath(this.o.kubeconfig, c.group, c.resource, timeoutMs);
      // An informer that may not list would hold readiness down for every review: ask first.
      const listable = path === undefined ? false : await mayList(this.o.kubeconfig, path, timeoutMs);
      if (this.closed) return;
      if (path !== undefined && listable === true) {
        this.unserved.delete(c.key);
        this.counting.add(c.key);
        const inf = this.o.start(c, path, this.handlers(c));
        if (inf !== undefined) this.informers.set(c.key, inf);
        this.o.log.info({ key: c.key, path }, "counting objects for a Tenant budget");
        return;
      }
      why =
        path === undefined
          ? `the cluster does not serve ${c.resource}${c.group ? ` in API group ${c.group}` : ""}`
          : `listing ${path} is forbidden (HTTP ${listable}): grant tenant-guard's ClusterRole list and watch on ${c.resource}${c.group ? `.${c.group}` : ""}`;
    } catch (e) {
      why = `discovery failed: ${String((e as Error).message)}`;
    } finally {
      pending.delete(c.key);
    }
    const note = `${c.key} is budgeted but not counted: ${why}; its creates see a count of 0`;
    this.unserved.set(c.key, note);
    this.o.log.warn({ key: c.key, reason: why }, "a Tenant budgets a resource tenant-guard cannot count");
    this.scheduleRetry();
  }

  /** A CRD installed later gets counted: unserved keys are asked again now and then, keeping their
   * notes until answered (the directory stays ready: a retry is not a first resolution). */
  private scheduleRetry(): void {
    if (this.retryTimer !== undefined || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.closed) return;
      const now = new Map(this.budgeted().map((c) => [c.key, c]));
      for (const key of [...this.unserved.keys()]) {
        const c = now.get(key);
        // A budget removed since: nothing to count, nothing to say.
        if (c === undefined) this.unserved.delete(key);
        else if (!this.rechecking.has(key)) void this.resolve(c, this.rechecking);
      }
    }, this.o.retryMs ?? 60_000);
    this.retryTimer.unref();
  }

  /** What the Tenants budget now that object counts can measure. */
  private budgeted(): CountedResource[] {
    const wanted: string[] = [];
    for (const t of this.o.index.tenantNames())
      wanted.push(...(this.o.index.tenant(t)?.quotaHard.keys() ?? []));
    return countedResources(wanted);
  }

  private handlers(c: CountedResource): Handlers {
    const { index } = this.o;
    const upsert = (o: { metadata: { name: string; namespace?: string } }): void => {
      if (o.metadata.namespace)
        index.setCountedObject(c.group, c.resource, o.metadata.namespace, o.metadata.name);
    };
    return {
      onAdd: upsert,
      onUpdate: upsert,
      onDelete: (o) => {
        if (o.metadata.namespace)
          index.deleteCountedObject(c.group, c.resource, o.metadata.namespace, o.metadata.name);
      },
    };
  }

  /** Why readiness must wait (a budgeted resource being resolved), or undefined. */
  waiting(): string | undefined {
    return this.resolving.size === 0
      ? undefined
      : `resolving the API paths of budgeted ${[...this.resolving].join(", ")}`;
  }

  /** Whether the count of `key` is not known yet: its kind is being resolved, or not yet listed. */
  pending(key: string): boolean {
    return this.resolving.has(key) || this.informers.get(key)?.isSynced === false;
  }

  /** Budgeted resources not counted (not served, or discovery failed). */
  notes(): readonly string[] {
    // Asked on every review by readiness(): the common case allocates nothing.
    return this.unserved.size === 0 ? NO_NOTES : [...this.unserved.values()];
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
  }
}
