// The host-claim informers' part (TG-HOSTNAME-COLLISION): Ingresses always, HTTPRoutes, GRPCRoutes
// and Gateways with directory.gatewayAPI. Objects arrive whole (hosts are in spec) and are cut down
// on arrival to kind, namespace, name, hosts and age, the record the index keeps: rules, backends,
// TLS settings, annotations, status and managedFields never reach the cache.
import { own, rec, str } from "../../k8s/access.ts";
import { hostClaimOf, type HostClaim } from "../host-claims.ts";
import type { TenantIndex } from "../tenant-index.ts";
import type { Handlers } from "./handlers.ts";
import type { Interner, SlimObject, Slimmer } from "./slim.ts";

/** resource, API path, kind: the Ingress informer and the optional Gateway API ones. */
export const INGRESS_SOURCE = ["ingresses", "/apis/networking.k8s.io/v1/ingresses", "Ingress"] as const;
export const GATEWAY_API_SOURCES = [
  ["httproutes", "/apis/gateway.networking.k8s.io/v1/httproutes", "HTTPRoute"],
  ["grpcroutes", "/apis/gateway.networking.k8s.io/v1/grpcroutes", "GRPCRoute"],
  ["gateways", "/apis/gateway.networking.k8s.io/v1/gateways", "Gateway"],
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

export function hostClaimHandlers(index: TenantIndex, kind: string): Handlers {
  const upsert = (o: SlimObject): void =>
    index.setHostClaim(
      kind,
      o.metadata.namespace ?? "",
      o.metadata.name,
      (o as Partial<SlimHostClaim>).claim,
    );
  return {
    onAdd: upsert,
    onUpdate: upsert,
    onDelete: (o) => index.setHostClaim(kind, o.metadata.namespace ?? "", o.metadata.name, undefined),
  };
}
