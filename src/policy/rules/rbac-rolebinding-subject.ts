// TG-RBAC-ROLEBINDING-SUBJECT: a RoleBinding in a tenant's namespace hands that namespace to its
// subjects. A subject of another tenant (its service accounts, its owner users and groups, the
// system:serviceaccounts:<ns> group of its namespaces) may only be bound when this tenant lists
// that tenant in spec.sharedWith. A grant to everyone (groups system:authenticated,
// system:serviceaccounts, system:unauthenticated; user system:anonymous) reaches every tenant and
// is denied too. In namespaces no tenant owns,
// nothing is crossed and nothing is checked.
import { objectRef } from "../messages.ts";
import { mayActFor, tenantList } from "../requester.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";
import { subjectsOf } from "./rbac-subjects.ts";

export const RBAC_ROLEBINDING_SUBJECT_CODE = "TG-RBAC-ROLEBINDING-SUBJECT";

export const rbacRoleBindingSubjectRule: Rule = {
  code: RBAC_ROLEBINDING_SUBJECT_CODE,
  summary: "a RoleBinding in a tenant namespace may not bind subjects of another tenant",
  match: [{ group: "rbac.authorization.k8s.io", resource: "rolebindings" }],
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, view } = ctx;
    const mine = ctx.namespaceTenant;
    if (req.namespace === "" || mine === undefined) return;
    for (const s of subjectsOf(req.object, req.namespace, view)) {
      if (s.everyone) {
        out.push({
          code: RBAC_ROLEBINDING_SUBJECT_CODE,
          message:
            `${objectRef(req)} (tenant "${mine}") binds ${s.label}, which includes every other ` +
            `tenant; bind the tenant's own users, groups or service accounts instead`,
          path: `subjects[${s.index}]`,
        });
        continue;
      }
      // A subject that also acts for this tenant (an owner of both, say) is this tenant's too.
      if (s.tenants.size === 0 || mayActFor(s.tenants, mine, view)) continue;
      const foreign = [...s.tenants].filter((t) => t !== mine);
      out.push({
        code: RBAC_ROLEBINDING_SUBJECT_CODE,
        message:
          `${objectRef(req)} (tenant "${mine}") binds ${s.label}, which belongs to tenant ` +
          `${tenantList(foreign)}; bind subjects of tenant "${mine}" only, or have tenant ` +
          `"${mine}" list ${tenantList(foreign)} in spec.sharedWith of its Tenant`,
        path: `subjects[${s.index}]`,
        victim: foreign.sort()[0],
      });
    }
  },
};
