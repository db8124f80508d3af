// Object-count keys of spec.quota.hard, with ResourceQuota's names (k8s.io/kubernetes
// pkg/quota/v1/evaluator/core/registry.go and apiserver's generic object count evaluator): any
// resource is `count/<resource>.<group>` (`count/<resource>` in the core group), and a few core
// kinds also answer to their legacy bare names (`secrets`, `configmaps`, `replicationcontrollers`,
// `resourcequotas`, and `services` / `persistentvolumeclaims` from their own evaluators). Pods are
// charged by charge.ts (their requests count too). Every object counts from its CREATE until it is
// deleted: object counts have no terminal state.
import type { PodCharge } from "./charge.ts";

/** A resource an object-count key measures. */
export interface CountedResource {
  readonly group: string;
  readonly resource: string;
  /** The key's canonical form: count/<resource>[.<group>]. */
  readonly key: string;
}

const LEGACY: ReadonlyMap<string, string> = new Map([
  ["secrets", "secrets"],
  ["configmaps", "configmaps"],
  ["replicationcontrollers", "replicationcontrollers"],
  ["resourcequotas", "resourcequotas"],
  ["services", "services"],
  ["persistentvolumeclaims", "persistentvolumeclaims"],
]);

/** A lowercase DNS label (a resource's plural name); bounded before it is scanned. */
function isLabel(s: string): boolean {
  if (s.length === 0 || s.length > 63) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (!alnum && !(c === 45 && i > 0 && i < s.length - 1)) return false;
  }
  return true;
}

/** A DNS subdomain (an API group), checked label by label. */
function isGroup(s: string): boolean {
  return s.length <= 253 && s.split(".").every(isLabel);
}

export function countKeyOf(group: string, resource: string): string {
  return group === "" ? `count/${resource}` : `count/${resource}.${group}`;
}

/**
 * The resource an object-count key of spec.quota.hard counts, or undefined for any other key
 * (requests.cpu, pods, count/pods: the pod charge's). Linear in the key, which the schema bounds.
 */
export function countedResourceOf(key: string): CountedResource | undefined {
  const legacy = LEGACY.get(key);
  if (legacy !== undefined) return { group: "", resource: legacy, key: countKeyOf("", legacy) };
  if (!key.startsWith("count/") || key.length > 320) return undefined;
  const rest = key.slice("count/".length);
  const dot = rest.indexOf(".");
  const resource = dot < 0 ? rest : rest.slice(0, dot);
  const group = dot < 0 ? "" : rest.slice(dot + 1);
  if (!isLabel(resource) || (group !== "" && !isGroup(group))) return undefined;
  if (group === "" && resource === "pods") return undefined;
  return { group, resource, key: countKeyOf(group, resource) };
}

const charges = new Map<string, PodCharge>();
const CHARGES_MAX = 4096;

/** What one object of a resource counts: its count/ key and, for legacy core kinds, the bare name. */
export function objectCharge(group: string, resource: string): PodCharge {
  const id = `${group}/${resource}`;
  let c = charges.get(id);
  if (c === undefined) {
    const keys = [countKeyOf(group, resource)];
    if (group === "" && LEGACY.has(resource)) keys.push(resource);
    keys.sort();
    c = Object.freeze({ keys: Object.freeze(keys), values: Object.freeze(keys.map(() => 1)) });
    // Resources come from webhook routes and Tenants' budgets: a short list; the cap guards abuse.
    if (charges.size >= CHARGES_MAX) charges.clear();
    charges.set(id, c);
  }
  return c;
}

/** The ledger entry name of a counted object: "<resource>.<group>/<name>" (pod names hold no "/"). */
export function countedEntryName(group: string, resource: string, name: string): string {
  return `${group === "" ? resource : `${resource}.${group}`}/${name}`;
}

/** Counted resources a budget names (each once), for the informers that count them. */
export function countedResources(hard: Iterable<string>): CountedResource[] {
  const out = new Map<string, CountedResource>();
  for (const k of hard) {
    const c = countedResourceOf(k);
    if (c !== undefined) out.set(c.key, c);
  }
  return [...out.values()];
}

/**
 * The plural resource of a kind as kubectl guesses it offline (apimachinery's
 * UnsafeGuessKindToResource): file worlds carry kinds, budgets name resources.
 */
export function guessResource(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith("s")) return `${k}es`;
  if (k.endsWith("y") && k.length > 1 && !"aeiou".includes(k.charAt(k.length - 2)))
    return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** The API group of an apiVersion ("ray.io/v1" -> "ray.io", "v1" -> ""). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}
