// TG-INGRESS-CLASS and TG-INGRESS-HOSTNAME: which controller serves a tenant's Ingress (its class:
// spec.ingressClassName or the deprecated kubernetes.io/ingress.class annotation) and which host
// names it claims (spec.rules[].host, spec.tls[].hosts[]). An Ingress for another team's host
// takes that team's traffic (and, with tls, its certificate's name). Both are the Tenant's
// spec.ingress settings; absent, any class and any host (hostname collisions are another rule).
// On UPDATE only what changed is judged, so a grandfathered Ingress stays editable.
import { arr, mapGet, metadataOf, own, rec, str } from "../../k8s/access.ts";
import { hostAllowed } from "../../k8s/hostname.ts";
import type { TenantPolicy } from "../../tenancy/tenant-policy.ts";
import { objectRef } from "../messages.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";

const INGRESS_CLASS_CODE = "TG-INGRESS-CLASS";
const INGRESS_HOSTNAME_CODE = "TG-INGRESS-HOSTNAME";
const INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

const INGRESSES = [{ group: "networking.k8s.io", resource: "ingresses" }] as const;

function ingressTenant(ctx: RuleContext): TenantPolicy | undefined {
  const req = ctx.request;
  if (req.subResource !== "" || ctx.namespaceTenant === undefined) return undefined;
  return ctx.view.tenant(ctx.namespaceTenant);
}

/** The classes an Ingress names, with their paths (the field and/or the annotation). */
export function ingressClasses(obj: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const field = str(own(rec(own(rec(obj), "spec")), "ingressClassName"));
  if (field !== undefined && field !== "") out.set("spec.ingressClassName", field);
  const annotation = mapGet(own(metadataOf(obj), "annotations"), INGRESS_CLASS_ANNOTATION);
  if (annotation !== undefined && annotation !== "")
    out.set(`metadata.annotations["${INGRESS_CLASS_ANNOTATION}"]`, annotation);
  return out;
}

/** Every host an Ingress claims, with the path of its first mention. */
function ingressHosts(obj: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const spec = rec(own(rec(obj), "spec"));
  const rules = arr(own(spec, "rules"));
  for (let i = 0; i < rules.length; i++) {
    const host = str(own(rec(rules[i]), "host"));
    if (host !== undefined && host !== "" && !out.has(host)) out.set(host, `spec.rules[${i}].host`);
  }
  const tls = arr(own(spec, "tls"));
  for (let i = 0; i < tls.length; i++) {
    const hosts = arr(own(rec(tls[i]), "hosts"));
    for (let j = 0; j < hosts.length; j++) {
      const host = str(hosts[j]);
      if (host !== undefined && host !== "" && !out.has(host)) out.set(host, `spec.tls[${i}].hosts[${j}]`);
    }
  }
  return out;
}

export const ingressClassRule: Rule = {
  code: INGRESS_CLASS_CODE,
  summary: "an Ingress's class must be the tenant's spec.ingress.defaultClass or in its allowedClasses",
  match: INGRESSES,
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const tenant = ingressTenant(ctx);
    if (tenant === undefined || tenant.ingressClasses.size === 0) return;
    const req = ctx.request;
    const classes = ingressClasses(req.object);
    const allowed = [...tenant.ingressClasses].join(", ");
    if (classes.size === 0) {
      // The cluster's default IngressClass (or a controller taking classless Ingresses) would serve it.
      if (req.operation === "UPDATE" && ingressClasses(req.oldObject).size === 0) return;
      out.push({
        code: INGRESS_CLASS_CODE,
        message:
          `${objectRef(req)} names no ingress class, and tenant "${tenant.name}" may only use ` +
          `${allowed}; set spec.ingressClassName to one of them`,
        path: "spec.ingressClassName",
      });
      return;
    }
    const had = req.operation === "UPDATE" ? new Set(ingressClasses(req.oldObject).values()) : undefined;
    for (const [path, name] of classes) {
      if (tenant.ingressClasses.has(name) || had?.has(name) === true) continue;
      out.push({
        code: INGRESS_CLASS_CODE,
        message:
          `${objectRef(req)} uses ingress class "${name.slice(0, 253)}", which tenant "${tenant.name}" ` +
          `may not use (allowed: ${allowed}); use an allowed class or ask a cluster admin to add it ` +
          `to the Tenant's spec.ingress.allowedClasses`,
        path,
      });
    }
  },
};

export const ingressHostnameRule: Rule = {
  code: INGRESS_HOSTNAME_CODE,
  summary: "an Ingress's rule and TLS hosts must match the tenant's spec.ingress.allowedHostnames",
  match: INGRESSES,
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const tenant = ingressTenant(ctx);
    const patterns = tenant?.hostnames;
    if (tenant === undefined || patterns === undefined) return;
    const req = ctx.request;
    const had = req.operation === "UPDATE" ? ingressHosts(req.oldObject) : undefined;
    for (const [host, path] of ingressHosts(req.object)) {
      if (hostAllowed(patterns, host) || had?.has(host) === true) continue;
      out.push({
        code: INGRESS_HOSTNAME_CODE,
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
