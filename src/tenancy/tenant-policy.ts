// A Tenant compiled for the hot path: quantities parsed, globs into matchers, lists into sets.
// Built when the directory changes, never per request.
import { parseQuantity } from "../k8s/quantity.ts";
import { KUEUE_QUEUE_LABEL } from "../k8s/kueue.ts";
import type { ResourceAmount } from "../k8s/pod-amounts.ts";
import { isOvercommitAllowed } from "../k8s/resource-names.ts";
import { parseCidr, type Cidr } from "../k8s/cidr.ts";
import { compileHostnames, type HostnamePatterns } from "../k8s/hostname.ts";
import type { Mode } from "../config/modes.ts";
import type { TenantSpec, Toleration } from "./tenant-schema.ts";

export type { ResourceAmount } from "../k8s/pod-amounts.ts";

/** One resource the tenant defaults on containers, as mutation applies it. */
export interface ResourceDefault {
  readonly name: string;
  readonly request: ResourceAmount | undefined;
  readonly limit: ResourceAmount | undefined;
  /** False for extended resources and huge pages: request and limit are always set equal. */
  readonly overcommit: boolean;
}

export interface TenantPolicy {
  readonly name: string;
  /** False when no Tenant object exists and the global defaults apply. */
  readonly defined: boolean;
  readonly spec: Readonly<TenantSpec>;
  readonly mode: Mode | undefined;
  readonly ruleModes: ReadonlyMap<string, Mode>;
  readonly sharedWith: ReadonlySet<string>;
  readonly allowedRegistries: readonly string[];
  readonly cloudIdentities: readonly GlobMatcher[];
  readonly modelStorage: readonly string[];
  readonly maxPerPod: ReadonlyMap<string, ResourceAmount>;
  readonly defaultRequests: ReadonlyMap<string, ResourceAmount>;
  readonly defaultLimits: ReadonlyMap<string, ResourceAmount>;
  /** Labels stamped on the tenant's pods: podDefaults.labels and spec.queue's queue-name. */
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly priorityClassName: string | undefined;
  /** spec.allowedPriorityClasses (the default class is allowed on its own). */
  readonly allowedPriorityClasses: ReadonlySet<string>;
  /** podDefaults.runtimeClassName and spec.allowedRuntimeClasses (undefined: any class). */
  readonly runtimeClassName: string | undefined;
  readonly allowedRuntimeClasses: ReadonlySet<string> | undefined;
  /** spec.storage: allowedClasses (undefined: any class) and defaultClass. */
  readonly storageClasses: ReadonlySet<string> | undefined;
  readonly defaultStorageClass: string | undefined;
  /** spec.allowedDeviceClasses (undefined: any DRA device class). */
  readonly allowedDeviceClasses: ReadonlySet<string> | undefined;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  /** spec.services.allowedTypes; absent: ClusterIP, NodePort and LoadBalancer. */
  readonly serviceTypes: ReadonlySet<string>;
  /** spec.services.allowedExternalIPs parsed; empty: no external IP at all. */
  readonly externalIPs: readonly Cidr[];
  /** spec.ingress.allowedClasses plus defaultClass; empty: any class. */
  readonly ingressClasses: ReadonlySet<string>;
  readonly ingressDefaultClass: string | undefined;
  /** spec.ingress.allowedHostnames compiled; undefined: any host. */
  readonly hostnames: HostnamePatterns | undefined;
  /** podDefaults.resources per resource name, precomputed for the resources mutator. */
  readonly resourceDefaults: ReadonlyMap<string, ResourceDefault>;
  /** spec.quota.hard by ResourceQuota key (empty: no budget). */
  readonly quotaHard: ReadonlyMap<string, ResourceAmount>;
  /** spec.quota.warnAt: percent of a hard value above which an admitted pod is warned about. */
  readonly quotaWarnAt: number | undefined;
  /** spec.queue: the Kueue LocalQueue named on the tenant's jobs and pods that name none. */
  readonly queue: string | undefined;
}

function amounts(list: Record<string, string | number> | undefined): ReadonlyMap<string, ResourceAmount> {
  const m = new Map<string, ResourceAmount>();
  for (const [k, v] of Object.entries(list ?? {})) {
    const value = parseQuantity(v);
    if (value !== undefined) m.set(k, { raw: String(v), value });
  }
  return m;
}

/** A compiled glob; `test` has RegExp's shape so callers read the same. */
export interface GlobMatcher {
  readonly glob: string;
  test(value: string): boolean;
}

/**
 * "arn:aws:iam::123:role/alpha-*" as a matcher; only "*" (any run of characters) is special.
 * Not a RegExp: `^a.*b.*c$` backtracks polynomially on a hostile annotation value. Matching the
 * first part as a prefix, the last as a suffix and each middle part at its leftmost place is
 * exact for "*"-only globs and linear in the value.
 */
export function globMatcher(glob: string): GlobMatcher {
  const parts = glob.split("*");
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  const middle = parts.slice(1, -1).filter((p) => p !== "");
  const exact = parts.length === 1;
  const minLength = parts.reduce((n, p) => n + p.length, 0);
  return {
    glob,
    test(value: string): boolean {
      if (exact) return value === glob;
      if (value.length < minLength || !value.startsWith(first) || !value.endsWith(last)) return false;
      let at = first.length;
      const end = value.length - last.length;
      for (let i = 0; i < middle.length; i++) {
        const p = middle[i] as string;
        const found = value.indexOf(p, at);
        if (found < 0 || found + p.length > end) return false;
        at = found + p.length;
      }
      return true;
    },
  };
}

function resourceDefaults(
  requests: ReadonlyMap<string, ResourceAmount>,
  limits: ReadonlyMap<string, ResourceAmount>,
): ReadonlyMap<string, ResourceDefault> {
  const out = new Map<string, ResourceDefault>();
  for (const name of new Set([...requests.keys(), ...limits.keys()])) {
    const overcommit = isOvercommitAllowed(name);
    const request = requests.get(name);
    const limit = limits.get(name);
    // No overcommit: either half implies the other (the schema rejects two different values).
    if (overcommit) out.set(name, { name, request, limit, overcommit });
    else out.set(name, { name, request: request ?? limit, limit: limit ?? request, overcommit });
  }
  return out;
}

/** Drops repeated tolerations so a pod never gets the same one twice. */
function uniqueTolerations(list: readonly Toleration[]): readonly Toleration[] {
  const seen = new Set<string>();
  return list.filter((t) => {
    const k = JSON.stringify([
      t.key ?? "",
      t.operator ?? "Equal",
      t.value ?? "",
      t.effect ?? "",
      t.tolerationSeconds,
    ]);
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** ExternalName is left out: a DNS alias to any name, another tenant's service included. */
const DEFAULT_SERVICE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer"] as const;

function cidrs(list: readonly string[] | undefined): Cidr[] {
  const out: Cidr[] = [];
  for (const c of list ?? []) {
    const parsed = parseCidr(c);
    if (parsed !== undefined) out.push(parsed);
  }
  return out;
}

/** An allow-list where absence means "anything", unlike an empty list. */
function optionalSet(list: readonly string[] | undefined): ReadonlySet<string> | undefined {
  return list === undefined ? undefined : new Set(list);
}

export function compileTenant(name: string, spec: TenantSpec | undefined, defined: boolean): TenantPolicy {
  const s: TenantSpec = spec ?? {};
  const pd = s.podDefaults ?? {};
  const defaultRequests = amounts(pd.resources?.requests);
  const defaultLimits = amounts(pd.resources?.limits);
  return Object.freeze({
    name,
    defined,
    spec: s,
    mode: s.enforcement?.mode,
    ruleModes: new Map(Object.entries(s.enforcement?.rules ?? {})),
    sharedWith: new Set(s.sharedWith ?? []),
    allowedRegistries: Object.freeze([...(s.allowedRegistries ?? [])]),
    cloudIdentities: Object.freeze((s.cloudIdentities ?? []).map(globMatcher)),
    modelStorage: Object.freeze([...(s.modelStorage ?? [])]),
    maxPerPod: amounts(pd.maxPerPod),
    defaultRequests,
    defaultLimits,
    // spec.queue is stamped on pods with the podDefaults labels (it wins over a queue-name there).
    labels: Object.freeze({
      ...(pd.labels ?? {}),
      ...(s.queue === undefined ? {} : { [KUEUE_QUEUE_LABEL]: s.queue }),
    }),
    annotations: Object.freeze({ ...(pd.annotations ?? {}) }),
    priorityClassName: pd.priorityClassName,
    allowedPriorityClasses: new Set(s.allowedPriorityClasses ?? []),
    runtimeClassName: pd.runtimeClassName,
    allowedRuntimeClasses: optionalSet(s.allowedRuntimeClasses),
    storageClasses: optionalSet(s.storage?.allowedClasses),
    defaultStorageClass: s.storage?.defaultClass,
    allowedDeviceClasses: optionalSet(s.allowedDeviceClasses),
    nodeSelector: Object.freeze({ ...(s.nodePool?.nodeSelector ?? {}) }),
    tolerations: Object.freeze(uniqueTolerations(s.nodePool?.tolerations ?? [])),
    resourceDefaults: resourceDefaults(defaultRequests, defaultLimits),
    serviceTypes: new Set(s.services?.allowedTypes ?? DEFAULT_SERVICE_TYPES),
    externalIPs: Object.freeze(cidrs(s.services?.allowedExternalIPs)),
    ingressClasses: new Set([
      ...(s.ingress?.allowedClasses ?? []),
      ...(s.ingress?.defaultClass === undefined ? [] : [s.ingress.defaultClass]),
    ]),
    ingressDefaultClass: s.ingress?.defaultClass,
    hostnames:
      s.ingress?.allowedHostnames === undefined ? undefined : compileHostnames(s.ingress.allowedHostnames),
    quotaHard: amounts(s.quota?.hard),
    quotaWarnAt: s.quota?.warnAt,
    queue: s.queue,
  });
}
