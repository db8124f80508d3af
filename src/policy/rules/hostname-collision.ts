// TG-HOSTNAME-COLLISION: a host name already claimed by another tenant's Ingress, HTTPRoute,
// GRPCRoute, TLSRoute, or Gateway or ListenerSet listener cannot be claimed again; the first claim wins. Wildcards overlap
// whole labels in both directions ("*.a.example.com" and "x.a.example.com"; never
// "evil-a.example.com"), at any depth, as Gateway API hostnames match. The claims come from the
// directory's host index (TenantView.hostConflict: a few Map reads per host). Namespaces no tenant
// owns neither claim nor are judged (a platform's shared Gateway with "*.example.com"); a tenant
// that lists this one in sharedWith consents. On UPDATE, hosts the object already had are kept;
// an existing object (audit) is only reported when the other claim is older.
import { claimedHosts, HOST_CLAIM_RESOURCES, hostsOverlap } from "../../k8s/claimed-hosts.ts";
import { metadataOf, own } from "../../k8s/access.ts";
import { claimAge, UNKNOWN_AGE } from "../../tenancy/host-claims.ts";
import { objectName, objectRef } from "../messages.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";

const HOSTNAME_COLLISION_CODE = "TG-HOSTNAME-COLLISION";

export const hostnameCollisionRule: Rule = {
  code: HOSTNAME_COLLISION_CODE,
  summary:
    "a host (Ingress rules/tls, HTTPRoute/GRPCRoute/TLSRoute hostnames, Gateway/ListenerSet listeners) already claimed by another tenant's object is denied; the first claim wins",
  match: HOST_CLAIM_RESOURCES,
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, view } = ctx;
    const mine = ctx.namespaceTenant;
    if (req.subResource !== "" || mine === undefined) return;
    const kind = req.kind.kind;
    const had = req.operation === "UPDATE" ? claimedHosts(kind, req.oldObject) : undefined;
    // An object that already exists (audit) lost only to older claims; a new one (the API server
    // stamps it before validation) is younger than every claim it meets.
    const age =
      req.operation === "CREATE" ? claimAge(own(metadataOf(req.object), "creationTimestamp")) : UNKNOWN_AGE;
    const self = { kind, namespace: req.namespace, name: objectName(req) };
    for (const [host, path] of claimedHosts(kind, req.object)) {
      if (had?.has(host) === true) continue;
      const conflict = view.hostConflict(host, mine, self);
      if (conflict === undefined) continue;
      const { claim, tenant } = conflict;
      if (age !== UNKNOWN_AGE && claim.since !== UNKNOWN_AGE && claim.since > age) continue;
      const theirs = claim.hosts.find((h) => h === host) ?? claim.hosts.find((h) => hostsOverlap(h, host));
      const as = theirs === undefined || theirs === host ? "" : ` (as "${theirs}")`;
      out.push({
        code: HOSTNAME_COLLISION_CODE,
        message:
          `${objectRef(req)} (tenant "${mine}") claims host "${host}", which tenant "${tenant}" already ` +
          `claims with ${claim.kind} ${claim.namespace}/${claim.name}${as}; the first claim wins: use ` +
          `a host of your own tenant, or ask tenant "${tenant}" to release it`,
        path,
        victim: tenant,
      });
    }
  },
};
