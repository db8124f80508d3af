// TG-RBAC-CLUSTERROLEBINDING: a ClusterRoleBinding grants its role in EVERY namespace, so one that
// names a tenant's subjects (its service accounts, owner users or groups, the service-account group
// of its namespaces) lets that tenant act in every other tenant's namespace, and one that names
// everyone (system:authenticated, system:unauthenticated, system:serviceaccounts, system:anonymous)
// does the same for every tenant at once. Config `rbac.clusterRoleBindings` decides: "deny"
// (default), "warn" (the finding defaults to Warn; an explicit enforcement.rules entry or a Tenant's
// per-rule setting still wins) or "allow" (not checked). Grants to system groups that name no tenant
// (system:masters, system:nodes, ...) pass, and so do the API server's own bootstrap bindings.
import { own, rec, str } from "../../k8s/access.ts";
import { objectRef } from "../messages.ts";
import { tenantList } from "../requester.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";
import { subjectsOf } from "./rbac-subjects.ts";

export const RBAC_CLUSTERROLEBINDING_CODE = "TG-RBAC-CLUSTERROLEBINDING";

/**
 * The bindings of the RBAC bootstrap policy that grant to everyone (each binds the ClusterRole of
 * its own name; GKE and the CIS benchmark list the same ones as expected). The API server
 * reconciles them at start, so denying them would fight the control plane. roleRef is immutable
 * and the names already exist, so nobody can reuse them for a wider role.
 */
const BOOTSTRAP_EVERYONE_BINDINGS: ReadonlySet<string> = new Set([
  "system:basic-user",
  "system:discovery",
  "system:public-info-viewer",
  "system:service-account-issuer-discovery",
]);

function isBootstrapDefault(obj: unknown): boolean {
  const o = rec(obj);
  const name = str(own(rec(own(o, "metadata")), "name")) ?? "";
  const role = rec(own(o, "roleRef"));
  return (
    BOOTSTRAP_EVERYONE_BINDINGS.has(name) &&
    str(own(role, "kind")) === "ClusterRole" &&
    str(own(role, "name")) === name
  );
}

export const rbacClusterRoleBindingRule: Rule = {
  code: RBAC_CLUSTERROLEBINDING_CODE,
  summary: "a ClusterRoleBinding may not grant to a tenant's subjects (config rbac.clusterRoleBindings)",
  match: [{ group: "rbac.authorization.k8s.io", resource: "clusterrolebindings" }],
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const setting = ctx.settings.clusterRoleBindings;
    if (setting === "allow") return;
    const { request: req } = ctx;
    const mode = setting === "warn" ? { mode: "Warn" as const } : {};
    let bootstrap: boolean | undefined;
    for (const s of subjectsOf(req.object, "", ctx.view)) {
      if (s.everyone) {
        if ((bootstrap ??= isBootstrapDefault(req.object))) continue;
        out.push({
          code: RBAC_CLUSTERROLEBINDING_CODE,
          message:
            `${objectRef(req)} grants its cluster role in every namespace to ${s.label}, which ` +
            `includes every tenant's identities; grant to named users, groups or service accounts ` +
            `instead, with a RoleBinding in each namespace that needs it`,
          path: `subjects[${s.index}]`,
          ...mode,
        });
        continue;
      }
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
        ...mode,
      });
    }
  },
};
