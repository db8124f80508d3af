// Gateway API (gateway.networking.k8s.io/v1) in tenant namespaces: TG-GATEWAY-CLASS (a Gateway's
// gatewayClassName against spec.ingress.allowedClasses/defaultClass, as for Ingresses),
// TG-GATEWAY-HOSTNAME (listener hostnames and HTTPRoute/GRPCRoute hostnames against
// spec.ingress.allowedHostnames) and TG-ROUTE-CROSS-TENANT (a route's parentRefs attaching to a
// Gateway, or its backendRefs sending traffic, in another tenant's namespace without that tenant's
// sharedWith; a ReferenceGrant there is consent only if that tenant wrote it, which tenant-guard
// cannot tell, so it is not taken as such). Namespaces no tenant owns (a platform team's shared
// Gateway) are open. Routed by deploy/components/gateway-api. On UPDATE only what changed is judged.
import { arr, own, rec, str } from "../../k8s/access.ts";
import { hostAllowed } from "../../k8s/hostname.ts";
import type { TenantPolicy } from "../../tenancy/tenant-policy.ts";
import { objectRef } from "../messages.ts";
import type { Finding, ResourceMatch, Rule, RuleContext } from "../types.ts";

const GATEWAY_CLASS_CODE = "TG-GATEWAY-CLASS";
const GATEWAY_HOSTNAME_CODE = "TG-GATEWAY-HOSTNAME";
const ROUTE_CROSS_TENANT_CODE = "TG-ROUTE-CROSS-TENANT";
export const GATEWAY_GROUP = "gateway.networking.k8s.io";

const GATEWAYS: readonly ResourceMatch[] = [{ group: GATEWAY_GROUP, resource: "gateways" }];
const ROUTES: readonly ResourceMatch[] = [
  { group: GATEWAY_GROUP, resource: "httproutes" },
  { group: GATEWAY_GROUP, resource: "grpcroutes" },
];
/** Every Gateway API resource these rules judge: what the gateway-api component must route. */
export const GATEWAY_RESOURCES: readonly ResourceMatch[] = [...GATEWAYS, ...ROUTES];

function tenantOf(ctx: RuleContext): TenantPolicy | undefined {
  if (ctx.request.subResource !== "" || ctx.namespaceTenant === undefined) return undefined;
  return ctx.view.tenant(ctx.namespaceTenant);
}

const specOf = (obj: unknown): Record<string, unknown> | undefined => rec(own(rec(obj), "spec"));

export const gatewayClassRule: Rule = {
  code: GATEWAY_CLASS_CODE,
  summary:
    "a Gateway's gatewayClassName must be the tenant's spec.ingress.defaultClass or in its allowedClasses",
  match: GATEWAYS,
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const tenant = tenantOf(ctx);
    if (tenant === undefined || tenant.ingressClasses.size === 0) return;
    const name = str(own(specOf(ctx.request.object), "gatewayClassName")) ?? "";
    if (tenant.ingressClasses.has(name)) return;
    if (
      ctx.request.operation === "UPDATE" &&
      str(own(specOf(ctx.request.oldObject), "gatewayClassName")) === name
    )
      return;
    out.push({
      code: GATEWAY_CLASS_CODE,
      message:
        `${objectRef(ctx.request)} uses gateway class "${name.slice(0, 253)}", which tenant ` +
        `"${tenant.name}" may not use (allowed: ${[...tenant.ingressClasses].join(", ")}); use an ` +
        `allowed class or ask a cluster admin to add it to the Tenant's spec.ingress.allowedClasses`,
      path: "spec.gatewayClassName",
    });
  },
};

/** Listener hostnames of a Gateway, or spec.hostnames of a route, with their paths. */
function gatewayHosts(resource: string, obj: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const spec = specOf(obj);
  if (resource === "gateways") {
    const listeners = arr(own(spec, "listeners"));
    for (let i = 0; i < listeners.length; i++) {
      const host = str(own(rec(listeners[i]), "hostname"));
      if (host !== undefined && host !== "" && !out.has(host)) out.set(host, `spec.listeners[${i}].hostname`);
    }
    return out;
  }
  const hosts = arr(own(spec, "hostnames"));
  for (let i = 0; i < hosts.length; i++) {
    const host = str(hosts[i]);
    if (host !== undefined && host !== "" && !out.has(host)) out.set(host, `spec.hostnames[${i}]`);
  }
  return out;
}

export const gatewayHostnameRule: Rule = {
  code: GATEWAY_HOSTNAME_CODE,
  summary:
    "Gateway listener and HTTPRoute/GRPCRoute hostnames must match the tenant's spec.ingress.allowedHostnames",
  match: GATEWAY_RESOURCES,
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const tenant = tenantOf(ctx);
    const patterns = tenant?.hostnames;
    if (tenant === undefined || patterns === undefined) return;
    const { request: req } = ctx;
    const resource = req.resource.resource;
    const had = req.operation === "UPDATE" ? gatewayHosts(resource, req.oldObject) : undefined;
    for (const [host, path] of gatewayHosts(resource, req.object)) {
      if (hostAllowed(patterns, host) || had?.has(host) === true) continue;
      out.push({
        code: GATEWAY_HOSTNAME_CODE,
        message:
          `${objectRef(req)} claims host "${host.slice(0, 253)}", which is outside tenant ` +
          `"${tenant.name}"'s spec.ingress.allowedHostnames (${patterns.written.join(", ") || "none"}); ` +
          `a "*." entry stands for exactly one whole label; use a host the tenant owns or ask a ` +
          `cluster admin to add it`,
        path,
      });
    }
  },
};

interface RouteRef {
  readonly namespace: string;
  readonly name: string;
  readonly what: "parent" | "backend" | "mirror";
  readonly path: string;
}

/** parentRefs and rules[].backendRefs; an absent namespace is the route's own. */
function routeRefs(obj: unknown, routeNs: string): RouteRef[] {
  const out: RouteRef[] = [];
  const spec = specOf(obj);
  const parents = arr(own(spec, "parentRefs"));
  for (let i = 0; i < parents.length; i++) {
    const p = rec(parents[i]);
    const ns = str(own(p, "namespace")) ?? routeNs;
    out.push({
      namespace: ns,
      name: str(own(p, "name")) ?? "",
      what: "parent",
      path: `spec.parentRefs[${i}].namespace`,
    });
  }
  const rules = arr(own(spec, "rules"));
  for (let i = 0; i < rules.length; i++) {
    const rule = rec(rules[i]);
    mirrorRefs(own(rule, "filters"), `spec.rules[${i}].filters`, routeNs, out);
    const backends = arr(own(rule, "backendRefs"));
    for (let j = 0; j < backends.length; j++) {
      const b = rec(backends[j]);
      const ns = str(own(b, "namespace")) ?? routeNs;
      const path = `spec.rules[${i}].backendRefs[${j}].namespace`;
      out.push({ namespace: ns, name: str(own(b, "name")) ?? "", what: "backend", path });
      mirrorRefs(own(b, "filters"), `spec.rules[${i}].backendRefs[${j}].filters`, routeNs, out);
    }
  }
  return out;
}

/**
 * filters[].requestMirror.backendRef (HTTPRouteFilter and GRPCRouteFilter in gateway.networking.k8s.io
 * v1, on a rule and on each backendRef): a BackendObjectReference, so a namespace of its own; a copy
 * of the traffic goes there. extensionRef is a LocalObjectReference (same namespace) and redirects
 * and rewrites name no backend, so mirrors are the only cross-namespace reference in filters.
 */
function mirrorRefs(filters: unknown, base: string, routeNs: string, out: RouteRef[]): void {
  const list = arr(filters);
  for (let k = 0; k < list.length; k++) {
    const ref = rec(own(rec(own(rec(list[k]), "requestMirror")), "backendRef"));
    if (ref === undefined) continue;
    const ns = str(own(ref, "namespace")) ?? routeNs;
    const path = `${base}[${k}].requestMirror.backendRef.namespace`;
    out.push({ namespace: ns, name: str(own(ref, "name")) ?? "", what: "mirror", path });
  }
}

export const routeCrossTenantRule: Rule = {
  code: ROUTE_CROSS_TENANT_CODE,
  summary:
    "HTTPRoute/GRPCRoute parentRefs and backendRefs may not reach another tenant's namespace unless it shares with this one",
  match: ROUTES,
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, view } = ctx;
    if (req.subResource !== "" || req.namespace === "") return;
    const mine = ctx.namespaceTenant;
    const had =
      req.operation === "UPDATE"
        ? new Set(routeRefs(req.oldObject, req.namespace).map((r) => `${r.what}\n${r.namespace}`))
        : undefined;
    for (const ref of routeRefs(req.object, req.namespace)) {
      if (ref.namespace === req.namespace) continue;
      const other = view.tenantOfNamespace(ref.namespace);
      if (other === undefined || other === mine) continue;
      if (mine !== undefined && view.tenant(other)?.sharedWith.has(mine) === true) continue;
      if (had?.has(`${ref.what}\n${ref.namespace}`) === true) continue;
      const doing =
        ref.what === "parent"
          ? `attaches to Gateway "${ref.name.slice(0, 253)}"`
          : ref.what === "mirror"
            ? `mirrors traffic to backend "${ref.name.slice(0, 253)}"`
            : `sends traffic to backend "${ref.name.slice(0, 253)}"`;
      out.push({
        code: ROUTE_CROSS_TENANT_CODE,
        message:
          `${objectRef(req)} (${mine === undefined ? "no tenant" : `tenant "${mine}"`}) ${doing} in ` +
          `namespace "${ref.namespace}" of tenant "${other}", which does not share with it; use a ` +
          `Gateway or backend of your own tenant (or a shared platform one), or ask tenant "${other}" ` +
          `to list ${mine === undefined ? "your tenant" : `"${mine}"`} in its spec.sharedWith`,
        path: ref.path,
        victim: other,
      });
    }
  },
};
