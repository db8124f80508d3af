// The host-claim informers' part (TG-HOSTNAME-COLLISION): Ingresses always, HTTPRoutes, GRPCRoutes
// and Gateways with directory.gatewayAPI, and TLSRoutes and ListenerSets with it where the cluster
// serves them at gateway.networking.k8s.io/v1 (optional-sources.ts). Objects arrive whole (hosts are in spec) and are cut down
// on arrival to kind, namespace, name, hosts and age, the record the index keeps (and the only copy): rules, backends,
// TLS settings, annotations, status and managedFields never reach the cache.
import { own, rec, str } from "../../k8s/access.ts";
import { hostClaimOf, type HostClaim } from "../host-claims.ts";
import type { TenantIndex } from "../tenant-index.ts";
import type { ObjectStore } from "./compact-list-watch.ts";
import type { Interner, SlimObject, Slimmer } from "./slim.ts";

/** resource, API path, kind: the Ingress informer and the optional Gateway API ones. */
export const INGRESS_SOURCE = ["ingresses", "/apis/networking.k8s.io/v1/ingresses", "Ingress"] as const;
export const GATEWAY_API_V1 = "gateway.networking.k8s.io/v1";
export const GATEWAY_API_SOURCES = [
  ["httproutes", `/apis/${GATEWAY_API_V1}/httproutes`, "HTTPRoute"],
  ["grpcroutes", `/apis/${GATEWAY_API_V1}/grpcroutes`, "GRPCRoute"],
  ["gateways", `/apis/${GATEWAY_API_V1}/gateways`, "Gateway"],
] as const;
/** v1 since Gateway API v1.6 (standard channel): watched only where discovery finds them served. */
export const OPTIONAL_GATEWAY_API_SOURCES = [
  ["tlsroutes", `/apis/${GATEWAY_API_V1}/tlsroutes`, "TLSRoute"],
  ["listenersets", `/apis/${GATEWAY_API_V1}/listenersets`, "ListenerSet"],
] as const;

export type SlimHostClaim = SlimObject & { readonly claim: HostClaim | undefined };

export function slimHostClaim(kind: string, interner: Interner): Slimmer {
  const intern = (s: string): string => interner.intern(s);
  return (obj): SlimHostClaim => {
    const md = rec(own(rec(obj), "metadata"));
    const claim = hostClaimOf(kind, obj, intern);
    const name = claim?.name ?? str(own(md, "name")) ?? "";
    const namespace = claim?.namespace ?? intern(str(own(md, "namespace")) ?? "");
    return { metadata: { name, namespace, resourceVersion: str(own(md, "resourceVersion")) }, claim };
  };
}

/** The index as the informer's cache: writing a claim indexes it, deleting unindexes it. Objects
 * that claim no host are kept nowhere (their deletion has nothing to undo). */
export function hostClaimStore(index: TenantIndex, kind: string): ObjectStore {
  const wrap = (c: HostClaim): SlimHostClaim => ({
    metadata: { name: c.name, namespace: c.namespace },
    claim: c,
  });
  return {
    get: (namespace, name) => {
      const c = index.hostClaim(kind, namespace, name);
      return c === undefined ? undefined : wrap(c);
    },
    set: (namespace, name, value) =>
      index.setHostClaim(kind, namespace, name, (value as Partial<SlimHostClaim>).claim),
    delete: (namespace, name) => {
      if (index.hostClaim(kind, namespace, name) === undefined) return false;
      index.setHostClaim(kind, namespace, name, undefined);
      return true;
    },
    forEach: (fn) => index.forEachHostClaim(kind, (c) => fn(c.namespace, c.name, wrap(c))),
  };
}
