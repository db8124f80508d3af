// What one pod counts against a tenant's spec.quota.hard, with ResourceQuota's semantics
// (k8s.io/kubernetes pkg/quota/v1/evaluator/core/pods.go): every pod in storage counts
// `count/pods`, terminal or not; a pod that is not terminal (Succeeded, Failed) and not past its
// deletion grace period (deletionTimestamp + deletionGracePeriodSeconds: a pod stuck terminating on
// a lost node) also counts `pods`, and its effective requests (max of app containers + sidecars and
// the largest init container, or the pod-level resources) plus spec.overhead count as
// `requests.<name>` and, for cpu, memory, ephemeral-storage and huge pages, also as the bare name;
// its limits count as `limits.<name>` for cpu, memory and ephemeral-storage only (extended
// resources and huge pages are quota'd by requests alone, as the API server requires request ==
// limit for them). Overhead is added to a limit only where the pod sets that limit, as
// resourcehelper.PodLimits does.
import { isRecord, metadataOf, own, rec, str, type JsonRecord } from "../k8s/access.ts";
import { isHugePages, isNativeResource } from "../k8s/resource-names.ts";
import { effectiveAmount, quantityValue } from "../k8s/pod-amounts.ts";

/** Resource-quota keys and amounts of one pod, frozen and shared between pods that count the same. */
export interface PodCharge {
  readonly keys: readonly string[];
  readonly values: readonly number[];
}

const STANDARD = new Set(["cpu", "memory", "ephemeral-storage"]);

/** Resource names a pod mentions anywhere its requests, limits or overhead can be set. */
function resourceNames(spec: JsonRecord): Set<string> {
  const names = new Set<string>();
  const addKeys = (x: unknown): void => {
    if (isRecord(x)) for (const k of Object.keys(x)) names.add(k);
  };
  const addResources = (r: unknown): void => {
    addKeys(own(rec(r), "requests"));
    addKeys(own(rec(r), "limits"));
  };
  addResources(own(spec, "resources"));
  for (const list of ["containers", "initContainers"]) {
    const cs = own(spec, list);
    if (Array.isArray(cs)) for (const c of cs) addResources(own(rec(c), "resources"));
  }
  addKeys(own(spec, "overhead"));
  return names;
}

function overheadOf(spec: JsonRecord, name: string): number {
  const v = own(rec(own(spec, "overhead")), name);
  if (typeof v !== "string") return 0;
  const n = quantityValue(v);
  return Number.isNaN(n) ? 0 : n;
}

function amount(spec: JsonRecord, kind: "requests" | "limits", name: string): number {
  const v = effectiveAmount(spec, kind, name).value;
  // The API server validates quantities before validating webhooks see a pod; a broken one in a
  // custom resource's template counts as nothing here (TG-POD-RESOURCES reports it).
  return Number.isNaN(v) ? 0 : v;
}

/** Succeeded and Failed pods hold nothing (QuotaV1Pod). */
function isTerminal(pod: JsonRecord): boolean {
  const phase = str(own(rec(own(pod, "status")), "phase"));
  return phase === "Succeeded" || phase === "Failed";
}

const interned = new Map<string, PodCharge>();
const INTERNED_MAX = 8192;

/**
 * The charge of a pod spec (terminal or not: callers decide). `share` interns it so pods that count
 * alike hold one object (the informer's cache); admission, which drops it after the review, skips
 * that (building the signature costs more than the charge itself).
 */
export function chargeOfSpec(spec: JsonRecord, share = true): PodCharge {
  const m = new Map<string, number>([
    ["pods", 1],
    ["count/pods", 1],
  ]);
  const add = (key: string, v: number): void => {
    if (v > 0) m.set(key, (m.get(key) ?? 0) + v);
  };
  for (const name of resourceNames(spec)) {
    const req = amount(spec, "requests", name);
    const over = overheadOf(spec, name);
    const requested = req + over;
    if (STANDARD.has(name)) {
      add(name, requested);
      add(`requests.${name}`, requested);
      const lim = amount(spec, "limits", name);
      if (lim > 0) add(`limits.${name}`, lim + over);
    } else if (isHugePages(name)) {
      // hugepages-<size>: the bare name and requests.<name> (pods.go's requestedResourcePrefixes)
      const v = requested > 0 ? requested : amount(spec, "limits", name) + over;
      add(name, v);
      add(`requests.${name}`, v);
    } else if (!isNativeResource(name)) {
      // extended resources (nvidia.com/gpu): requests.<name> only; one set only as a limit has the
      // same request (the API server defaults it).
      add(`requests.${name}`, requested > 0 ? requested : amount(spec, "limits", name) + over);
    }
  }
  if (share) return intern(m);
  const keys = [...m.keys()].sort();
  return { keys, values: keys.map((k) => m.get(k) as number) };
}

/** Pods of one Deployment count alike: one frozen charge for all of them, not one each. */
function intern(m: Map<string, number>): PodCharge {
  const keys = [...m.keys()].sort();
  const values = keys.map((k) => m.get(k) as number);
  const sig = keys.map((k, i) => `${k}=${values[i]}`).join(",");
  let c = interned.get(sig);
  if (c === undefined) {
    c = Object.freeze({ keys: Object.freeze(keys), values: Object.freeze(values) });
    if (interned.size >= INTERNED_MAX) interned.clear();
    interned.set(sig, c);
  }
  return c;
}

/** What a pod that holds nothing any more still counts: it is in storage (count/pods). */
export const STORED_ONLY: PodCharge = Object.freeze({
  keys: Object.freeze(["count/pods"]),
  values: Object.freeze([1]),
});

/**
 * When a terminating pod stops counting (ms since the epoch): deletionTimestamp plus
 * deletionGracePeriodSeconds; undefined when it is not terminating or either field is unusable.
 */
export function graceEnd(pod: JsonRecord): number | undefined {
  const md = metadataOf(pod);
  const ts = str(own(md, "deletionTimestamp"));
  const grace = own(md, "deletionGracePeriodSeconds");
  if (ts === undefined || typeof grace !== "number" || !Number.isFinite(grace)) return undefined;
  const at = Date.parse(ts);
  return Number.isNaN(at) ? undefined : at + grace * 1000;
}

/**
 * The charge of a Pod object at time `now`: STORED_ONLY when it is terminal or past its deletion
 * grace period (QuotaV1Pod), else its spec's charge.
 */
export function chargeOfPod(pod: JsonRecord, now: number = Date.now()): PodCharge {
  if (isTerminal(pod)) return STORED_ONLY;
  const end = graceEnd(pod);
  if (end !== undefined && now > end) return STORED_ONLY;
  return chargeOfSpec(rec(own(pod, "spec")) ?? {});
}

/** The amount a charge holds of a key (0 when it holds none). */
export function chargeOf(c: PodCharge, key: string): number {
  const i = c.keys.indexOf(key);
  return i < 0 ? 0 : (c.values[i] as number);
}
