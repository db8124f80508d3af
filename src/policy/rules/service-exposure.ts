// TG-SVC-TYPE and TG-SVC-EXTERNAL-IP: how a tenant's Service is exposed. An ExternalName Service
// aliases any DNS name (another tenant's service included) and is allowed only when the Tenant
// lists it; spec.externalIPs and spec.loadBalancerIP let a Service take traffic for any address,
// another tenant's included (CVE-2020-8554), so they must lie in spec.services.allowedExternalIPs.
// A Gateway's spec.addresses of type IPAddress (the default type) asks for an address the same
// way, so it is held to the same list. On UPDATE only what changed is judged, so a grandfathered
// Service can still be relabelled.
import { arr, own, rec, str } from "../../k8s/access.ts";
import { firstContaining, parseIp } from "../../k8s/cidr.ts";
import type { TenantView } from "../../tenancy/view.ts";
import { objectRef } from "../messages.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";

const SVC_TYPE_CODE = "TG-SVC-TYPE";
const SVC_EXTERNAL_IP_CODE = "TG-SVC-EXTERNAL-IP";

const SERVICES = [{ group: "", resource: "services" }] as const;
const GATEWAYS = { group: "gateway.networking.k8s.io", resource: "gateways" } as const;

/** spec of a namespaced object written directly (a Service or a Gateway), not of a subresource. */
function namespacedSpec(ctx: RuleContext, obj: unknown): Record<string, unknown> | undefined {
  const req = ctx.request;
  if (req.subResource !== "" || req.namespace === "") return undefined;
  return rec(own(rec(obj), "spec"));
}

export const serviceTypeRule: Rule = {
  code: SVC_TYPE_CODE,
  summary: "a Service's type must be in the tenant's spec.services.allowedTypes",
  match: SERVICES,
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const spec = namespacedSpec(ctx, ctx.request.object);
    const tenant = ctx.namespaceTenant === undefined ? undefined : ctx.view.tenant(ctx.namespaceTenant);
    if (spec === undefined || tenant === undefined) return;
    // The API server defaults an absent type to ClusterIP before webhooks run; read it the same way.
    const type = str(own(spec, "type")) ?? "ClusterIP";
    if (tenant.serviceTypes.has(type)) return;
    if (ctx.request.operation === "UPDATE") {
      const old = namespacedSpec(ctx, ctx.request.oldObject);
      if (old !== undefined && (str(own(old, "type")) ?? "ClusterIP") === type) return;
    }
    out.push({
      code: SVC_TYPE_CODE,
      message:
        `${objectRef(ctx.request)} has type ${type}, which tenant "${tenant.name}" may not create ` +
        `(allowed: ${[...tenant.serviceTypes].join(", ") || "none"}); use an allowed type or ask a ` +
        `cluster admin to add ${type} to the Tenant's spec.services.allowedTypes`,
      path: "spec.type",
    });
  },
};

/** The addresses a Service (or Gateway) spec asks traffic for, with their field paths. */
function externalAddresses(resource: string, spec: Record<string, unknown> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (spec === undefined) return out;
  if (resource === "gateways") {
    const addresses = arr(own(spec, "addresses"));
    for (let i = 0; i < addresses.length; i++) {
      const a = rec(addresses[i]);
      const type = str(own(a, "type")) ?? "IPAddress"; // the CRD's default
      const value = str(own(a, "value"));
      if (type !== "IPAddress" || value === undefined || value === "" || out.has(value)) continue;
      out.set(value, `spec.addresses[${i}].value`);
    }
    return out;
  }
  const ips = arr(own(spec, "externalIPs"));
  for (let i = 0; i < ips.length; i++) {
    const ip = str(ips[i]);
    if (ip !== undefined && ip !== "" && !out.has(ip)) out.set(ip, `spec.externalIPs[${i}]`);
  }
  const lb = str(own(spec, "loadBalancerIP"));
  if (lb !== undefined && lb !== "" && !out.has(lb)) out.set(lb, "spec.loadBalancerIP");
  return out;
}

/** Another tenant whose allowedExternalIPs holds the address (deny path only). */
function ipOwner(view: TenantView, ip: Uint8Array, except: string | undefined): string | undefined {
  for (const t of view.tenantNames()) {
    if (t === except) continue;
    const cidrs = view.tenant(t)?.externalIPs ?? [];
    if (cidrs.length > 0 && firstContaining(cidrs, ip) !== undefined) return t;
  }
  return undefined;
}

export const serviceExternalIpRule: Rule = {
  code: SVC_EXTERNAL_IP_CODE,
  summary:
    "a Service's externalIPs and loadBalancerIP, and a Gateway's IPAddress spec.addresses, must be in the tenant's spec.services.allowedExternalIPs",
  match: [...SERVICES, GATEWAYS],
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const resource = ctx.request.resource.resource;
    const addresses = externalAddresses(resource, namespacedSpec(ctx, ctx.request.object));
    if (addresses.size === 0) return;
    const had =
      ctx.request.operation === "UPDATE"
        ? externalAddresses(resource, namespacedSpec(ctx, ctx.request.oldObject))
        : new Map<string, string>();
    const what =
      resource === "gateways"
        ? "a Gateway given an address receives the traffic for it"
        : "a Service with an external IP receives the cluster's traffic for that address (CVE-2020-8554)";
    const mine = ctx.namespaceTenant;
    const allowed = mine === undefined ? [] : (ctx.view.tenant(mine)?.externalIPs ?? []);
    for (const [text, path] of addresses) {
      if (had.has(text)) continue;
      const ip = parseIp(text);
      if (ip !== undefined && firstContaining(allowed, ip) !== undefined) continue;
      const other = ip === undefined ? undefined : ipOwner(ctx.view, ip, mine);
      // In a namespace no tenant owns only another tenant's addresses are guarded.
      if (mine === undefined && other === undefined) continue;
      const whose = other === undefined ? "" : `; it is in tenant "${other}"'s range`;
      const why =
        mine === undefined
          ? "is in a namespace no tenant owns"
          : allowed.length === 0
            ? `is not allowed: tenant "${mine}" has no spec.services.allowedExternalIPs`
            : `is outside tenant "${mine}"'s spec.services.allowedExternalIPs`;
      out.push({
        code: SVC_EXTERNAL_IP_CODE,
        message:
          `${objectRef(ctx.request)} asks for external IP "${text.slice(0, 64)}", which ${why}${whose}; ${what}: ` +
          `remove it or ask a cluster admin to add its range to the Tenant's spec.services.allowedExternalIPs`,
        path,
        ...(other !== undefined ? { victim: other } : {}),
      });
    }
  },
};
