// A Tenant compiled for the hot path: quantities parsed, globs into matchers, lists into sets.
// Built when the directory changes, never per request.
import { parseQuantity } from "../k8s/quantity.ts";
import { isOvercommitAllowed } from "../k8s/resource-names.ts";
import type { Mode } from "../config/modes.ts";
import type { TenantSpec, Toleration } from "./tenant-schema.ts";

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
  readonly cloudIdentities: readonly GlobMatcher[];
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
    labels: Object.freeze({ ...(pd.labels ?? {}) }),
    annotations: Object.freeze({ ...(pd.annotations ?? {}) }),
    priorityClassName: pd.priorityClassName,
    allowedPriorityClasses: new Set(s.allowedPriorityClasses ?? []),
    nodeSelector: Object.freeze({ ...(s.nodePool?.nodeSelector ?? {}) }),
    tolerations: Object.freeze(uniqueTolerations(s.nodePool?.tolerations ?? [])),
    resourceDefaults: resourceDefaults(defaultRequests, defaultLimits),
  });
}
