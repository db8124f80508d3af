// The host names an object claims for traffic, by kind: an Ingress's spec.rules[].host and
// spec.tls[].hosts[], a Gateway's or ListenerSet's spec.listeners[].hostname, an HTTPRoute's,
// GRPCRoute's or TLSRoute's spec.hostnames[] (TLSRoute: the SNI names). TCPRoute and UDPRoute name
// no host. Shared by the collision rule (with paths, for findings) and the directory's host index
// (hosts only). Lower-cased; empty and over-long (> 253, never valid) names are skipped.
import { arr, own, rec, str } from "./access.ts";

/** The kinds whose hosts the directory indexes, by kind -> API group. */
export const HOST_CLAIM_KINDS: ReadonlyMap<string, string> = new Map([
  ["Ingress", "networking.k8s.io"],
  ["HTTPRoute", "gateway.networking.k8s.io"],
  ["GRPCRoute", "gateway.networking.k8s.io"],
  ["TLSRoute", "gateway.networking.k8s.io"],
  ["Gateway", "gateway.networking.k8s.io"],
  ["ListenerSet", "gateway.networking.k8s.io"],
]);

/** The same kinds as API resources (what the collision rule matches). */
export const HOST_CLAIM_RESOURCES: readonly { readonly group: string; readonly resource: string }[] = [
  ...HOST_CLAIM_KINDS,
].map(([kind, group]) => ({ group, resource: `${kind.toLowerCase()}${kind.endsWith("s") ? "es" : "s"}` }));

const HOST_MAX = 253;

function add(out: Map<string, string>, host: unknown, path: string): void {
  const h = str(host);
  if (h === undefined || h === "" || h.length > HOST_MAX) return;
  const lower = h.toLowerCase();
  if (!out.has(lower)) out.set(lower, path);
}

/** host -> the path of its first mention, for a kind of HOST_CLAIM_KINDS (empty for any other). */
export function claimedHosts(kind: string, obj: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const spec = rec(own(rec(obj), "spec"));
  if (kind === "Ingress") {
    const rules = arr(own(spec, "rules"));
    for (let i = 0; i < rules.length; i++) add(out, own(rec(rules[i]), "host"), `spec.rules[${i}].host`);
    const tls = arr(own(spec, "tls"));
    for (let i = 0; i < tls.length; i++) {
      const hosts = arr(own(rec(tls[i]), "hosts"));
      for (let j = 0; j < hosts.length; j++) add(out, hosts[j], `spec.tls[${i}].hosts[${j}]`);
    }
  } else if (kind === "Gateway" || kind === "ListenerSet") {
    const listeners = arr(own(spec, "listeners"));
    for (let i = 0; i < listeners.length; i++)
      add(out, own(rec(listeners[i]), "hostname"), `spec.listeners[${i}].hostname`);
  } else if (kind === "HTTPRoute" || kind === "GRPCRoute" || kind === "TLSRoute") {
    const hosts = arr(own(spec, "hostnames"));
    for (let i = 0; i < hosts.length; i++) add(out, hosts[i], `spec.hostnames[${i}]`);
  }
  return out;
}

/** "a.b.example.com" -> "b.example.com", "example.com", "com"; "*.b.example.com" -> "b.example.com", ... */
export function* parentDomains(host: string): Generator<string> {
  let at = host.startsWith("*.") ? 1 : host.indexOf(".");
  while (at >= 0 && at < host.length - 1) {
    yield host.slice(at + 1);
    at = host.indexOf(".", at + 1);
  }
}

/** Whether a wildcard ("*.b.example.com") covers a host: any host strictly beneath its domain. */
function covers(wildcard: string, host: string): boolean {
  return wildcard.startsWith("*.") && host.length > wildcard.length - 1 && host.endsWith(wildcard.slice(1));
}

/** Whether two claimed hosts can receive the same request (equal, or one's wildcard covers the other). */
export function hostsOverlap(a: string, b: string): boolean {
  return a === b || covers(a, b) || covers(b, a);
}
