// Which objects claim which host names (Ingress rules/tls hosts, HTTPRoute/GRPCRoute hostnames,
// Gateway listener hostnames), kept so that "is this host already another tenant's?" costs a few
// Map reads: the host itself, its parent domains as wildcards ("*.b.example.com" covers
// "a.b.example.com"), and for a wildcard the claims beneath its domain. Claims are stored by
// namespace, never by tenant: the namespace's owner is read at lookup, so relabelling a namespace
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

type Bag = HostClaim | Set<HostClaim>;

function bagAdd(bag: Bag | undefined, c: HostClaim): Bag {
  if (bag === undefined || bag === c) return c;
  if (bag instanceof Set) return bag.add(c);
  return new Set([bag, c]);
}

/** The bag without c; undefined when empty. */
function bagRemove(bag: Bag | undefined, c: HostClaim): Bag | undefined {
  if (bag === undefined || bag === c) return undefined;
  if (!(bag instanceof Set)) return bag;
  bag.delete(c);
  if (bag.size > 1) return bag;
  const [only] = bag;
  return only;
}

function* bagItems(bag: Bag | undefined): Generator<HostClaim> {
  if (bag === undefined) return;
  if (bag instanceof Set) yield* bag;
  else yield bag;
}

const keyOf = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

/** Says which tenant holds a claim (its namespace's owner) and whether it counts against the asker. */
export type ClaimFilter = (claim: HostClaim) => boolean;

export class HostClaims {
  /** host (as written, "*." included) -> the objects claiming it. */
  private readonly exact = new Map<string, Bag>();
  /** domain -> namespace -> the objects claiming a host strictly beneath the domain. */
  private readonly beneath = new Map<string, Map<string, Bag>>();
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

  /** The objects whose hosts overlap `host` (exactly, under a wildcard, or beneath a wildcard) and
   * pass `counts`, oldest first within each kind of overlap; the first one found is returned. */
  overlapping(host: string, counts: ClaimFilter): HostClaim | undefined {
    const h = host.toLowerCase();
    const found = oldest(bagItems(this.exact.get(h)), counts);
    if (found !== undefined) return found;
    for (const parent of parentDomains(h)) {
      const c = oldest(bagItems(this.exact.get(`*.${parent}`)), counts);
      if (c !== undefined) return c;
    }
    if (!h.startsWith("*.")) return undefined;
    const byNs = this.beneath.get(h.slice(2));
    if (byNs === undefined) return undefined;
    // One namespace's claims share an owner: test one of each until another tenant's is found.
    for (const bag of byNs.values()) {
      const c = oldest(bagItems(bag), counts);
      if (c !== undefined) return c;
    }
    return undefined;
  }

  private index(c: HostClaim): void {
    for (const host of c.hosts) this.exact.set(host, bagAdd(this.exact.get(host), c));
    for (const domain of domainsOf(c)) {
      let byNs = this.beneath.get(domain);
      if (byNs === undefined) this.beneath.set(domain, (byNs = new Map()));
      byNs.set(c.namespace, bagAdd(byNs.get(c.namespace), c));
    }
  }

  private unindex(c: HostClaim): void {
    for (const host of c.hosts) {
      const rest = bagRemove(this.exact.get(host), c);
      if (rest === undefined) this.exact.delete(host);
      else this.exact.set(host, rest);
    }
    for (const domain of domainsOf(c)) {
      const byNs = this.beneath.get(domain);
      if (byNs === undefined) continue;
      const rest = bagRemove(byNs.get(c.namespace), c);
      if (rest !== undefined) byNs.set(c.namespace, rest);
      else if (byNs.delete(c.namespace) && byNs.size === 0) this.beneath.delete(domain);
    }
  }
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
