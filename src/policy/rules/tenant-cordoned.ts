// TG-TENANT-CORDONED: spec.cordoned is the platform team's incident switch. While it is true, the
// tenant's creates and updates are denied wherever they come from: requests by its identities in
// any namespace (or cluster-scoped), and writes into its namespaces by anyone who is not exempt.
// Deletes pass (CREATE/UPDATE only), so a team can scale down and clean up; exempt identities
// (kubelets, controllers, admins) are never blocked, so status updates and recovery go on. An update
// that only drops finalizers is not judged (engine.ts), so deletions always complete.
import { labelOf } from "../../k8s/access.ts";
import { objectRef } from "../messages.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";
import { isNamespaceResource } from "./namespace-target.ts";

export const TENANT_CORDONED_CODE = "TG-TENANT-CORDONED";

export const tenantCordonedRule: Rule = {
  code: TENANT_CORDONED_CODE,
  summary: "a cordoned tenant's creates and updates are denied (deletes pass)",
  match: "*",
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, requester, view } = ctx;
    if (requester.exempt) return;
    const seen: string[] = [];
    const judge = (tenant: string | undefined, why: string): void => {
      if (tenant === undefined || seen.includes(tenant)) return;
      seen.push(tenant);
      if (view.tenant(tenant)?.spec.cordoned !== true) return;
      out.push({
        code: TENANT_CORDONED_CODE,
        message:
          `tenant "${tenant}" is cordoned by the platform team: ${req.operation.toLowerCase()} of ` +
          `${objectRef(req)} by "${requester.username}" (${why}) is denied until it is uncordoned; ` +
          `deletes still pass`,
        tenant,
      });
    };
    judge(ctx.namespaceTenant, `in a namespace of tenant "${ctx.namespaceTenant ?? ""}"`);
    // A Namespace object is its tenant's even before it exists (a create labelled for it).
    if (isNamespaceResource(req)) judge(labelOf(req.object, ctx.settings.tenantLabel), "labelled for it");
    for (const t of requester.tenants) judge(t, `acting for tenant "${t}"`);
  },
};
