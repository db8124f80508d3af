// A Tenant compiled for the hot path: quantities parsed, globs turned into RegExps, lists into sets.
// Built when the directory changes, never per request.
import { parseQuantity } from "../k8s/quantity.ts";
import { isOvercommitAllowed } from "../k8s/resource-names.ts";
import type { Mode, TenantSpec, Toleration } from "./tenant-schema.ts";

export interface ResourceAmount {
  /** As written in the Tenant ("500m"), for patches. */
  readonly raw: string;
  /** In base units (cores, bytes, devices), for comparisons. */
  readonly value: number;
}

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
  readonly cloudIdentities: readonly RegExp[];
  readonly modelStorage: readonly string[];
  readonly maxPerPod: ReadonlyMap<string, ResourceAmount>;
  readonly defaultRequests: ReadonlyMap<string, ResourceAmount>;
  readonly defaultLimits: ReadonlyMap<string, ResourceAmount>;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly priorityClassName: string | undefined;
  /** spec.allowedPriorityClasses (the default class is allowed on its own). */
  readonly allowedPriorityClasses: ReadonlySet<string>;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  /** podDefaults.resources per resource name, precomputed for the resources mutator. */
  readonly resourceDefaults: ReadonlyMap<string, ResourceDefault>;
}

function amounts(list: Record<string, string | number> | undefined): ReadonlyMap<string, ResourceAmount> {
  const m = new Map<string, ResourceAmount>();
  for (const [k, v] of Object.entries(list ?? {})) {
    const value = parseQuantity(v);
    if (value !== undefined) m.set(k, { raw: String(v), value });
  }
  return m;
}

/** "arn:aws:iam::123:role/alpha-*" -> /^arn:aws:iam::123:role\/alpha-.*$/ ; only "*" is special. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`);
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
    cloudIdentities: Object.freeze((s.cloudIdentities ?? []).map(globToRegExp)),
    modelStorage: Object.freeze([...(s.modelStorage ?? [])]),
    maxPerPod: amounts(pd.maxPerPod),
    defaultRequests,
    defaultLimits,
    labels: Object.freeze({ ...(pd.labels ?? {}) }),
    annotations: Object.freeze({ ...(pd.annotations ?? {}) }),
    priorityClassName: pd.priorityClassName,
    allowedPriorityClasses: new Set(s.allowedPriorityClasses ?? []),
    nodeSelector: Object.freeze({ ...(s.nodePool?.nodeSelector ?? {}) }),
    tolerations: Object.freeze(uniqueTolerations(s.nodePool?.tolerations ?? [])),
    resourceDefaults: resourceDefaults(defaultRequests, defaultLimits),
  });
}
