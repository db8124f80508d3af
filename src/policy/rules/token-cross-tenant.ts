// TG-TOKEN-CROSS-TENANT: a TokenRequest (CREATE serviceaccounts/token) mints a credential that IS
// the service account. An identity of one tenant asking for a token of another tenant's service
// account (its namespace's tenant, or the tenant its own label names) would become that tenant.
// Kubelets and controllers are exempt requesters; same-tenant requests and sharedWith pass.
import type { AdmissionRequest } from "../../admission/types.ts";
import { mayActFor, tenantList } from "../requester.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";

export const TOKEN_CROSS_TENANT_CODE = "TG-TOKEN-CROSS-TENANT";

export function isTokenRequest(req: AdmissionRequest): boolean {
  return (
    req.resource.group === "" && req.resource.resource === "serviceaccounts" && req.subResource === "token"
  );
}

export const tokenCrossTenantRule: Rule = {
  code: TOKEN_CROSS_TENANT_CODE,
  summary: "a tenant identity may not request a token for another tenant's service account",
  match: [{ group: "", resource: "serviceaccounts", subresource: "token" }],
  operations: ["CREATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { requester, request: req, view } = ctx;
    if (requester.exempt || requester.tenants.size === 0 || req.namespace === "") return;
    const saOwner = view.ownerOfObject("ServiceAccount", req.namespace, req.name);
    const owners = new Set<string>();
    for (const t of [saOwner, ctx.namespaceTenant]) {
      if (t !== undefined && !mayActFor(requester.tenants, t, view)) owners.add(t);
    }
    if (owners.size === 0) return;
    const victim = saOwner !== undefined && owners.has(saOwner) ? saOwner : [...owners][0];
    const actors = tenantList(requester.tenants);
    out.push({
      code: TOKEN_CROSS_TENANT_CODE,
      message:
        `"${requester.username}" acts for tenant ${actors} and may not request a token for ` +
        `service account "${req.name}" in namespace "${req.namespace}", which belongs to tenant ` +
        `${tenantList(owners)}; request tokens only for service accounts of your own tenant, or ` +
        `have tenant "${victim}" list ${actors} in spec.sharedWith of its Tenant`,
      path: "metadata.name",
      tenant: victim,
      victim,
    });
  },
};
