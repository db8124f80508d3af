// Which objects claim which host names (Ingress rules/tls hosts, HTTPRoute/GRPCRoute/TLSRoute hostnames,
// Gateway and ListenerSet listener hostnames), kept so that "is this host already another tenant's?" costs a few
// Map reads: the host itself, its parent domains as wildcards ("*.b.example.com" covers
// "a.b.example.com"), and for a wildcard the claims beneath its domain. Claims carry their
// namespace, never a tenant: the namespace's owner is read at lookup, so relabelling a namespace
// needs no re-indexing. Only kind, namespace, name, hosts and age are kept of an object.
import { own, rec, str } from "../k8s/access.ts";
import { claimedHosts, parentDomains } from "../k8s/claimed-hosts.ts";

/** One object's claim; the same record is shared by every index entry of that object. */
export interface HostClaim {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** Lower-cased, distinct. */
  readonly hosts: readonly string[];
  /** creationTimestamp in seconds since 2015-01-01 (a small integer: no boxed double per claim). */
  readonly since: number;
}

/** Age of a claim whose object carries no creationTimestamp (file worlds): younger than any. */
export const UNKNOWN_AGE = 0x3fffffff;
const EPOCH_S = Date.UTC(2015, 0, 1) / 1000;

/** Seconds since 2015 of an RFC 3339 creationTimestamp; UNKNOWN_AGE when absent or unreadable. */
export function claimAge(timestamp: unknown): number {
  const t = str(timestamp);
  if (t === undefined || t.length > 64) return UNKNOWN_AGE;
  const ms = Date.parse(t);
  if (!Number.isFinite(ms)) return UNKNOWN_AGE;
  return Math.min(UNKNOWN_AGE, Math.max(0, Math.floor(ms / 1000 - EPOCH_S)));
}

/** The claim an object makes (undefined when it claims no host), shared by file and cluster. */
export function hostClaimOf(
  kind: string,
  obj: unknown,
  intern: (s: string) => string,
): HostClaim | undefined {
  const md = rec(own(rec(obj), "metadata"));
  const name = str(own(md, "name"));
  const namespace = str(own(md, "namespace"));
  if (name === undefined || namespace === undefined) return undefined;
  const hosts = [...claimedHosts(kind, obj).keys()];
  if (hosts.length === 0) return undefined;
  return Object.freeze({
    kind: intern(kind),
    namespace: intern(namespace),
    name,
    hosts: Object.freeze(hosts),
    since: claimAge(own(md, "creationTimestamp")),
  });
}

/** One claim (the usual case: no container at all), a few in an array, many in a Set. Small Maps
 * and Sets cost ~200 bytes each in V8, an array of two ~30: this is most of the index's memory. */
type Bag = HostClaim | HostClaim[] | Set<HostClaim>;
const ARRAY_MAX = 8;

function bagAdd(bag: Bag | undefined, c: HostClaim): Bag {
  if (bag === undefined || bag === c) return c;
  if (bag instanceof Set) return bag.add(c);
  if (!Array.isArray(bag)) return [bag, c];
  if (bag.includes(c)) return bag;
  if (bag.length < ARRAY_MAX) {
    bag.push(c);
    return bag;
  }
  return new Set([...bag, c]);
}

/** The bag without c; undefined when empty. */
function bagRemove(bag: Bag | undefined, c: HostClaim): Bag | undefined {
  if (bag === undefined || bag === c) return undefined;
  if (bag instanceof Set) {
    bag.delete(c);
    return bag.size === 0 ? undefined : bag;
  }
  if (!Array.isArray(bag)) return bag;
  const rest = bag.filter((x) => x !== c);
  return rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : rest;
}

function bagItems(bag: Bag | undefined): Iterable<HostClaim> {
  if (bag === undefined) return NONE;
  return bag instanceof Set || Array.isArray(bag) ? bag : [bag];
}
const NONE: readonly HostClaim[] = [];

/** A flat key (join makes one sequential string; a template literal keeps a tree of pieces). */
const keyOf = (kind: string, namespace: string, name: string): string => [kind, namespace, name].join("/");

/** Says which tenant holds a claim (its namespace's owner) and whether it counts against the asker. */
export type ClaimFilter = (claim: HostClaim) => boolean;

export class HostClaims {
  /** host (as written, "*." included) -> the objects claiming it. */
  private readonly exact = new Map<string, Bag>();
  /** domain -> the objects claiming a host strictly beneath it. */
  private readonly beneath = new Map<string, Bag>();
  private readonly byObject = new Map<string, HostClaim>();

  get size(): number {
    return this.byObject.size;
  }

  /** Replaces what kind/namespace/name claimed with `claim` (undefined: it claims nothing now). */
  set(kind: string, namespace: string, name: string, claim: HostClaim | undefined): void {
    const key = keyOf(kind, namespace, name);
    const old = this.byObject.get(key);
    if (old !== undefined) this.unindex(old);
    if (claim === undefined) {
      this.byObject.delete(key);
      return;
    }
    this.byObject.set(key, claim);
    this.index(claim);
  }

  /** What kind/namespace/name claims now (undefined: nothing). */
  get(kind: string, namespace: string, name: string): HostClaim | undefined {
    return this.byObject.get(keyOf(kind, namespace, name));
  }

  /** Every claim of one kind (an informer's relist diffs against them). */
  forEachOf(kind: string, fn: (claim: HostClaim) => void): void {
    for (const c of this.byObject.values()) if (c.kind === kind) fn(c);
  }

  /**
   * The oldest object passing `counts` whose hosts overlap `host`: the same host, a wildcard above
   * it, then (for a wildcard host) the first one beneath its domain. Map reads bounded by the
   * label count; beneath a wildcard, the scan stops at the first claim that counts, so it only
   * walks the asker's own (or shared) claims under that domain.
   */
  overlapping(host: string, counts: ClaimFilter): HostClaim | undefined {
    const h = host.toLowerCase();
    const found = oldest(bagItems(this.exact.get(h)), counts);
    if (found !== undefined) return found;
    for (const parent of parentDomains(h)) {
      const c = oldest(bagItems(this.exact.get(`*.${parent}`)), counts);
      if (c !== undefined) return c;
    }
    if (!h.startsWith("*.")) return undefined;
    for (const c of bagItems(this.beneath.get(h.slice(2)))) if (counts(c)) return c;
    return undefined;
  }

  private index(c: HostClaim): void {
    for (const host of c.hosts) this.exact.set(host, bagAdd(this.exact.get(host), c));
    for (const domain of domainsOf(c)) this.beneath.set(domain, bagAdd(this.beneath.get(domain), c));
  }

  private unindex(c: HostClaim): void {
    for (const host of c.hosts) put(this.exact, host, bagRemove(this.exact.get(host), c));
    for (const domain of domainsOf(c)) put(this.beneath, domain, bagRemove(this.beneath.get(domain), c));
  }
}

function put(m: Map<string, Bag>, key: string, bag: Bag | undefined): void {
  if (bag === undefined) m.delete(key);
  else m.set(key, bag);
}

/** Every parent domain of a claim's hosts, once (an object is one entry per domain). */
function domainsOf(c: HostClaim): Set<string> {
  const out = new Set<string>();
  for (const host of c.hosts) for (const d of parentDomains(host)) out.add(d);
  return out;
}

function oldest(items: Iterable<HostClaim>, counts: ClaimFilter): HostClaim | undefined {
  let best: HostClaim | undefined;
  for (const c of items) if (counts(c) && (best === undefined || c.since < best.since)) best = c;
  return best;
}
