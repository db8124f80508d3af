// TG-POD-NODE-POOL on pods/binding: a Binding (CREATE pods/binding, target {kind: Node, name}) sets
// a pod's node without the scheduler, like spec.nodeName at create. The scheduler is exempt: it
// binds where the pod's spec allows, which the pod rules already judged; anyone else binding a
// pod of a tenant's namespace must bind it to a known node of that tenant's pool and of no other
// tenant's. (A binder of another tenant is TG-REQUESTER-CROSS-TENANT's; this is about the node.)
// The legacy `bindings` resource (POST .../namespaces/NS/bindings) binds the same way.
import { own, rec, str } from "../../k8s/access.ts";
import { objectName } from "../messages.ts";
import { POD_NODE_POOL } from "../pod/codes.ts";
import { checkNamedNode } from "../pod/node-name.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";

export const podBindingNodeRule: Rule = {
  code: POD_NODE_POOL,
  summary: "a pod is bound (pods/binding) to a node outside its tenant's pool or in another tenant's",
  match: [
    { group: "", resource: "pods", subresource: "binding" },
    { group: "", resource: "bindings" },
  ],
  operations: ["CREATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const req = ctx.request;
    if (ctx.requester.exempt || req.namespace === "") return;
    const target = rec(own(req.object, "target"));
    const kind = str(own(target, "kind")) ?? "";
    const node = str(own(target, "name")) ?? "";
    // The API server refuses a target of another kind, or without a name.
    if ((kind !== "" && kind !== "Node") || node === "") return;
    const tenant = ctx.namespaceTenant;
    const scope = {
      view: ctx.view,
      tenant,
      policy: tenant === undefined ? undefined : ctx.view.tenant(tenant),
    };
    const who = `pod "${objectName(req)}" in namespace "${req.namespace}"`;
    checkNamedNode(
      scope,
      node,
      { who, how: "is bound to node", undo: "do not bind the pod yourself" },
      "target.name",
      out,
    );
  },
};
