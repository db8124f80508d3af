// Gateway API (gateway.networking.k8s.io/v1) in tenant namespaces: TG-GATEWAY-CLASS (a Gateway's
// gatewayClassName against spec.ingress.allowedClasses/defaultClass, as for Ingresses),
// TG-GATEWAY-HOSTNAME (Gateway and ListenerSet listener hostnames, HTTPRoute/GRPCRoute/TLSRoute
// hostnames against spec.ingress.allowedHostnames) and TG-ROUTE-CROSS-TENANT (any reference of a
// Gateway API object into another tenant's namespace without that tenant's sharedWith: a route's
// parentRefs and backendRefs, mirrors and external-auth backends in its filters, a Gateway's or
// ListenerSet's certificate refs, a ListenerSet's parent Gateway). A ReferenceGrant there is consent
// only if that tenant wrote it, which tenant-guard cannot tell, so it is not taken as such.
// Namespaces no tenant owns (a platform team's shared Gateway) are open. Routed by
// deploy/components/gateway-api. On UPDATE only what changed is judged.
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
/** Every Gateway API resource these rules judge (what the gateway-api component must route): the
 * kinds gateway-api v1.6's standard channel serves that reference other objects by namespace
 * (TLSRoute, TCPRoute and UDPRoute are also served as v1alpha2/v1alpha3, same fields). */
export const GATEWAY_RESOURCES: readonly ResourceMatch[] = [
  ...GATEWAYS,
  { group: GATEWAY_GROUP, resource: "listenersets" },
  { group: GATEWAY_GROUP, resource: "httproutes" },
  { group: GATEWAY_GROUP, resource: "grpcroutes" },
  { group: GATEWAY_GROUP, resource: "tlsroutes" },
  { group: GATEWAY_GROUP, resource: "tcproutes" },
  { group: GATEWAY_GROUP, resource: "udproutes" },
];

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

/** Listener hostnames of a Gateway or ListenerSet, or spec.hostnames of a route, with their paths. */
function gatewayHosts(resource: string, obj: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const spec = specOf(obj);
  if (resource === "gateways" || resource === "listenersets") {
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
    "Gateway and ListenerSet listener hostnames and HTTPRoute/GRPCRoute/TLSRoute hostnames must match the tenant's spec.ingress.allowedHostnames",
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
  readonly kind: string | undefined;
  readonly what: "parent" | "backend" | "mirror" | "certificate";
  readonly path: string;
}

/** What a reference does, from the field that holds it (and whether it sits in a mirror filter). */
function whatOf(field: string, path: string): RouteRef["what"] {
  if (field === "parentRefs" || field === "parentRef") return "parent";
  if (/certificateRefs?$/i.test(field)) return "certificate";
  return path.includes(".requestMirror.") ? "mirror" : "backend";
}

/**
 * Every reference under spec that names a namespace. In gateway.networking.k8s.io v1 each field
 * called `namespace` is the namespace of a reference (ParentReference, BackendObjectReference,
 * SecretObjectReference, ObjectReference, ParentGatewayReference), wherever it sits: parentRefs,
 * rules[].backendRefs, requestMirror and externalAuth backends in filters, listeners' certificateRefs,
 * frontend caCertificateRefs, backendTLS.clientCertificateRef, a ListenerSet's parentRef. Walking
 * them all closes the class, a field added later included. A reference without a namespace is the
 * object's own. Linear in the object.
 */
function namespacedRefs(obj: unknown): RouteRef[] {
  const out: RouteRef[] = [];
  const visit = (v: unknown, path: string, field: string): void => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) visit(v[i], `${path}[${i}]`, field);
      return;
    }
    const r = rec(v);
    if (r === undefined) return;
    const namespace = str(own(r, "namespace"));
    if (namespace !== undefined) {
      const name = str(own(r, "name")) ?? "";
      out.push({
        namespace,
        name,
        kind: str(own(r, "kind")),
        what: whatOf(field, path),
        path: `${path}.namespace`,
      });
    }
    for (const key of Object.keys(r)) visit(r[key], `${path}.${key}`, key);
  };
  visit(specOf(obj), "spec", "spec");
  return out;
}

function doing(ref: RouteRef): string {
  const name = `"${ref.name.slice(0, 253)}"`;
  switch (ref.what) {
    case "parent":
      return `attaches to ${ref.kind?.slice(0, 63) ?? "Gateway"} ${name}`;
    case "mirror":
      return `mirrors traffic to backend ${name}`;
    case "certificate":
      return `uses certificate ${ref.kind?.slice(0, 63) ?? "Secret"} ${name}`;
    default:
      return `sends traffic to backend ${name}`;
  }
}

export const routeCrossTenantRule: Rule = {
  code: ROUTE_CROSS_TENANT_CODE,
  summary:
    "a Gateway API object's references (route parentRefs and backendRefs, certificate refs, a ListenerSet's parent) may not reach another tenant's namespace unless it shares with this one",
  match: GATEWAY_RESOURCES,
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, view } = ctx;
    if (req.subResource !== "" || req.namespace === "") return;
    const mine = ctx.namespaceTenant;
    const had =
      req.operation === "UPDATE"
        ? new Set(namespacedRefs(req.oldObject).map((r) => `${r.what}\n${r.namespace}`))
        : undefined;
    for (const ref of namespacedRefs(req.object)) {
      if (ref.namespace === req.namespace) continue;
      const other = view.tenantOfNamespace(ref.namespace);
      if (other === undefined || other === mine) continue;
      if (mine !== undefined && view.tenant(other)?.sharedWith.has(mine) === true) continue;
      if (had?.has(`${ref.what}\n${ref.namespace}`) === true) continue;
      out.push({
        code: ROUTE_CROSS_TENANT_CODE,
        message:
          `${objectRef(req)} (${mine === undefined ? "no tenant" : `tenant "${mine}"`}) ${doing(ref)} in ` +
          `namespace "${ref.namespace}" of tenant "${other}", which does not share with it; use a ` +
          `Gateway or backend of your own tenant (or a shared platform one), or ask tenant "${other}" ` +
          `to list ${mine === undefined ? "your tenant" : `"${mine}"`} in its spec.sharedWith`,
        path: ref.path,
        victim: other,
      });
    }
  },
};
