// TG-POD-UNOWNED-NAMESPACE: with tenancy.unownedNamespaces: deny, pods (and workloads with pod
// templates) may only run in namespaces a tenant owns or that are exempt. Exempt namespaces never
// reach the rules; the default (allow) keeps clusters with unlabelled namespaces working.
import { POD_UNOWNED_NAMESPACE } from "../pod/codes.ts";
import { objectRef } from "../messages.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";
import { podTargets } from "../workloads/targets.ts";

export const podUnownedNamespaceRule: Rule = {
  code: POD_UNOWNED_NAMESPACE,
  summary: "a pod or pod template in a namespace no tenant owns (when tenancy.unownedNamespaces is deny)",
  match: "*",
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    if (ctx.settings.unownedNamespaces !== "deny" || ctx.namespaceTenant !== undefined) return;
    if (podTargets(ctx) === undefined) return;
    out.push({
      code: POD_UNOWNED_NAMESPACE,
      message:
        `${objectRef(ctx.request)} would run pods in namespace "${ctx.request.namespace}", which no ` +
        `tenant owns; create it in your tenant's namespace, or ask an admin to label the namespace ` +
        `with ${ctx.settings.tenantLabel}=<tenant> or exempt it`,
      path: "metadata.namespace",
    });
  },
};
