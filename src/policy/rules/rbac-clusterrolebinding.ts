// TG-RBAC-CLUSTERROLEBINDING: a ClusterRoleBinding grants its role in EVERY namespace, so one that
// names a tenant's subjects (its service accounts, owner users or groups, the service-account group
// of its namespaces) lets that tenant act in every other tenant's namespace. Config
// `rbac.clusterRoleBindings` decides: "deny" (default), "warn" (the finding defaults to Warn; an
// explicit enforcement.rules entry or a Tenant's per-rule setting still wins) or "allow" (not checked).
// Grants to system groups (system:masters, system:authenticated, ...) name no tenant and pass.
import { objectRef } from "../messages.ts";
import { tenantList } from "../requester.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";
import { subjectsOf } from "./rbac-subjects.ts";

export const RBAC_CLUSTERROLEBINDING_CODE = "TG-RBAC-CLUSTERROLEBINDING";

export const rbacClusterRoleBindingRule: Rule = {
  code: RBAC_CLUSTERROLEBINDING_CODE,
  summary: "a ClusterRoleBinding may not grant to a tenant's subjects (config rbac.clusterRoleBindings)",
  match: [{ group: "rbac.authorization.k8s.io", resource: "clusterrolebindings" }],
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const setting = ctx.settings.clusterRoleBindings;
    if (setting === "allow") return;
    const { request: req } = ctx;
    for (const s of subjectsOf(req.object, "", ctx.view)) {
      if (s.tenants.size === 0) continue;
      const first = [...s.tenants].sort()[0];
      out.push({
        code: RBAC_CLUSTERROLEBINDING_CODE,
        message:
          `${objectRef(req)} grants its cluster role in every namespace to ${s.label} of tenant ` +
          `${tenantList(s.tenants)}, reaching every other tenant's namespaces; use a RoleBinding ` +
          `in each of the tenant's namespaces instead`,
        path: `subjects[${s.index}]`,
        tenant: first,
        ...(setting === "warn" ? { mode: "Warn" as const } : {}),
      });
    }
  },
};
