// The exact half of spec.quota: charges kept in the API server, in the Tenant's status subresource
// (status.quota.pending), with resourceVersion optimistic concurrency, the way the ResourceQuota
// admission plugin charges status.used: read, check, write with the version read, and on 409
// Conflict read again. Two replicas admitting pods of one tenant at the same moment serialize on
// the Tenant's resourceVersion, so neither admits past hard.
//
// Usage = what the pods informer counts + pending charges whose pod the informer has not seen yet.
// A pending charge is dropped once its pod has been seen for `seenGraceMs` (every replica's informer
// has it by then) or, if its pod never appeared (denied by a later admission step, or the request
// timed out), after `ttlMs`: reconcile() does that, and so does every charge write.
//
// This is the only place the request path talks to the API server: bounded by `timeoutMs` (within
// the webhook's timeout); when the ledger cannot be read or written in time the pod is denied with
// a message that says so (fail closed: a budget that can be bypassed by overloading the API server
// is no budget).
import type { KubeConfig } from "@kubernetes/client-node";
import { isRecord, own, rec, str } from "../k8s/access.ts";
import { apiUrl, jsonBody, kubeRequest } from "../k8s/kube-request.ts";
import type { ResourceAmount } from "../k8s/pod-amounts.ts";
import type { PodCharge } from "./charge.ts";
import { quotaStatus, type QuotaStatus } from "./status.ts";

export interface PendingCharge {
  /** namespace/name of the pod charged. */
  readonly pod: string;
  /** When it was charged (ms since epoch), and when its pod was first seen (0: not yet). */
  readonly at: number;
  readonly seen?: number;
  readonly charge: Readonly<Record<string, number>>;
}

export interface LedgerOptions {
  readonly kubeconfig: KubeConfig;
  /** /apis/tenant-guard.dev/v1alpha1/tenants */
  readonly basePath: string;
  /** Whether the pods informer has this pod (namespace/name). */
  readonly seen: (pod: string) => boolean;
  readonly timeoutMs?: number;
  readonly ttlMs?: number;
  readonly seenGraceMs?: number;
  readonly now?: () => number;
}

export type ChargeResult =
  | { readonly kind: "charged"; readonly attempts: number }
  | { readonly kind: "over"; readonly used: ReadonlyMap<string, number> }
  | { readonly kind: "failed"; readonly reason: string };

interface Snapshot {
  readonly resourceVersion: string;
  readonly pending: PendingCharge[];
  /** status.quota as read, to tell whether the visible fields changed. */
  readonly quota: Record<string, unknown>;
}

/** What reconciliation shows in the status: the budget and the informers' count of it. */
export interface VisibleUsage {
  readonly hard: ReadonlyMap<string, ResourceAmount>;
  readonly informerUsage: () => ReadonlyMap<string, number>;
}

/** A merge patch that makes map `was` equal `now`: keys gone are set to null. */
function replaceMap(was: unknown, now: Readonly<Record<string, string>>): Record<string, string | null> {
  const out: Record<string, string | null> = { ...now };
  for (const k of Object.keys(rec(was) ?? {})) if (!(k in now)) out[k] = null;
  return out;
}

function sameMap(was: unknown, now: Readonly<Record<string, string>>): boolean {
  const w = rec(was) ?? {};
  const keys = Object.keys(now);
  return Object.keys(w).length === keys.length && keys.every((k) => w[k] === now[k]);
}

function sameVisible(quota: Record<string, unknown>, v: QuotaStatus): boolean {
  return (
    quota.summary === v.summary &&
    quota.overBudget === v.overBudget &&
    sameMap(quota.used, v.used) &&
    sameMap(quota.display, v.display as Record<string, string>)
  );
}

function parsePending(status: unknown): PendingCharge[] {
  const list = own(rec(own(rec(status), "quota")), "pending");
  if (!Array.isArray(list)) return [];
  const out: PendingCharge[] = [];
  for (const e of list) {
    const r = rec(e);
    const pod = str(own(r, "pod"));
    const at = own(r, "at");
    const charge = own(r, "charge");
    if (pod === undefined || typeof at !== "number" || !isRecord(charge)) continue;
    const c: Record<string, number> = {};
    for (const [k, v] of Object.entries(charge)) if (typeof v === "number") c[k] = v;
    const seen = own(r, "seen");
    out.push({ pod, at, ...(typeof seen === "number" ? { seen } : {}), charge: c });
  }
  return out;
}

export class ApiLedger {
  private readonly o: Required<Omit<LedgerOptions, "now">> & { now: () => number };

  constructor(opts: LedgerOptions) {
    this.o = {
      timeoutMs: 3000,
      ttlMs: 120_000,
      seenGraceMs: 30_000,
      now: Date.now,
      ...opts,
    };
  }

  private url(tenant: string): URL {
    return apiUrl(this.o.kubeconfig, `${this.o.basePath}/${encodeURIComponent(tenant)}/status`);
  }

  private async read(tenant: string, signal: AbortSignal): Promise<Snapshot> {
    const res = await kubeRequest(
      this.o.kubeconfig,
      "GET",
      this.url(tenant),
      { Accept: "application/json" },
      undefined,
      {
        signal,
      },
    );
    if (res.status !== 200) throw new Error(`GET Tenant ${tenant} status: HTTP ${res.status}`);
    const body = rec(jsonBody(res));
    const rv = str(own(rec(own(body, "metadata")), "resourceVersion"));
    if (rv === undefined) throw new Error(`GET Tenant ${tenant} status: no resourceVersion`);
    const status = own(body, "status");
    return {
      resourceVersion: rv,
      pending: parsePending(status),
      quota: rec(own(rec(status), "quota")) ?? {},
    };
  }

  /** A merge patch of status.quota.pending, preconditioned on the version read: 409 if it moved. */
  private async write(
    tenant: string,
    rv: string,
    pending: readonly PendingCharge[],
    signal: AbortSignal,
    visible?: Record<string, unknown>,
  ): Promise<number> {
    const quota = { pending, ...visible };
    const body = JSON.stringify({ metadata: { resourceVersion: rv }, status: { quota } });
    const res = await kubeRequest(
      this.o.kubeconfig,
      "PATCH",
      this.url(tenant),
      { "Content-Type": "application/merge-patch+json", Accept: "application/json" },
      body,
      { signal },
    );
    return res.status;
  }

  /** Pending charges still to count: unseen ones, and seen ones within the grace; expired dropped. */
  private live(pending: readonly PendingCharge[]): PendingCharge[] {
    const now = this.o.now();
    const out: PendingCharge[] = [];
    for (const p of pending) {
      if (now - p.at > this.o.ttlMs) continue; // its pod never appeared: reclaimed
      const seen = p.seen ?? (this.o.seen(p.pod) ? now : undefined);
      if (seen !== undefined && now - seen > this.o.seenGraceMs) continue; // counted by informers now
      out.push(seen === undefined || seen === p.seen ? p : { ...p, seen });
    }
    return out;
  }

  /** Usage the ledger adds to the informer's: charges of pods this replica has not seen yet. */
  private unseen(pending: readonly PendingCharge[]): Map<string, number> {
    const m = new Map<string, number>();
    for (const p of pending) {
      if (this.o.seen(p.pod)) continue;
      for (const [k, v] of Object.entries(p.charge)) m.set(k, (m.get(k) ?? 0) + v);
    }
    return m;
  }

  /**
   * Charges `charge` for pod `pod` (namespace/name) to `tenant` if informer usage + unseen pending
   * + charge stays within every hard value; retries on conflict until the deadline.
   */
  async charge(
    tenant: string,
    pod: string,
    charge: PodCharge,
    hard: ReadonlyMap<string, ResourceAmount>,
    informerUsage: () => ReadonlyMap<string, number>,
  ): Promise<ChargeResult> {
    const signal = AbortSignal.timeout(this.o.timeoutMs);
    const entry: Record<string, number> = {};
    for (let i = 0; i < charge.keys.length; i++)
      if (hard.has(charge.keys[i] as string)) entry[charge.keys[i] as string] = charge.values[i] as number;
    let attempts = 0;
    try {
      for (;;) {
        attempts++;
        const snap = await this.read(tenant, signal);
        const pending = this.live(snap.pending).filter((p) => p.pod !== pod);
        const used = new Map(informerUsage());
        for (const [k, v] of this.unseen(pending)) used.set(k, (used.get(k) ?? 0) + v);
        for (const [k, v] of Object.entries(entry))
          if ((used.get(k) ?? 0) + v > (hard.get(k)?.value ?? Infinity) * (1 + 1e-9))
            return { kind: "over", used };
        pending.push({ pod, at: this.o.now(), charge: entry });
        const code = await this.write(tenant, snap.resourceVersion, pending, signal);
        if (code === 200) return { kind: "charged", attempts };
        if (code !== 409) return { kind: "failed", reason: `PATCH Tenant ${tenant} status: HTTP ${code}` };
      }
    } catch (e) {
      const why =
        (e as Error).name === "TimeoutError" || (e as Error).name === "AbortError"
          ? `no answer within ${this.o.timeoutMs} ms`
          : String((e as Error).message);
      return { kind: "failed", reason: `${why} (after ${attempts} attempt${attempts === 1 ? "" : "s"})` };
    }
  }

  /**
   * Drops pending charges that are counted by informers or whose pods never appeared and, given the
   * budget, shows usage (informers' count + charges of pods not seen yet) in status.quota's used,
   * display, summary and overBudget. Writes only when something changed.
   */
  async reconcile(
    tenant: string,
    visible?: VisibleUsage,
  ): Promise<"unchanged" | "reclaimed" | "updated" | "conflict"> {
    const signal = AbortSignal.timeout(this.o.timeoutMs);
    const snap = await this.read(tenant, signal);
    const live = this.live(snap.pending);
    const reclaimed = JSON.stringify(live) !== JSON.stringify(snap.pending);
    let shown: QuotaStatus | undefined;
    if (visible !== undefined) {
      const used = new Map(visible.informerUsage());
      for (const [k, v] of this.unseen(live)) used.set(k, (used.get(k) ?? 0) + v);
      shown = quotaStatus(visible.hard, used);
      if (sameVisible(snap.quota, shown)) shown = undefined;
    }
    if (!reclaimed && shown === undefined) return "unchanged";
    const fields =
      shown === undefined
        ? undefined
        : {
            used: replaceMap(snap.quota.used, shown.used),
            display: replaceMap(snap.quota.display, shown.display as Record<string, string>),
            summary: shown.summary,
            overBudget: shown.overBudget,
          };
    const code = await this.write(tenant, snap.resourceVersion, live, signal, fields);
    if (code === 409) return "conflict";
    if (code !== 200) throw new Error(`PATCH Tenant ${tenant} status: HTTP ${code}`);
    return reclaimed ? "reclaimed" : "updated";
  }
}
